"""The test OpenID Connect provider: `python -m tests.sso.provider.server <port> <folder>`.

Makes its database and signing key, then serves until stopped. Its users and its client
(Recognise) are set up by the tests through `python -m tests.sso.provider.server
<port> <folder> setup <json>`."""

import json
import os
import sys


def main():
    port, folder = sys.argv[1], sys.argv[2]
    os.environ["TEST_PROVIDER_PORT"] = port
    os.environ["TEST_PROVIDER_FOLDER"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.provider.settings"
    import django
    from django.core.management import call_command

    django.setup()
    if sys.argv[3:4] == ["setup"]:
        setup(json.loads(sys.argv[4]))
        return
    call_command("migrate", verbosity=0)
    from oidc_provider.models import RSAKey

    if not RSAKey.objects.exists():
        call_command("creatersakey")
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    run("127.0.0.1", int(port), get_wsgi_application(), threading=True)


def setup(spec):
    """Users (username, password) and the client Recognise signs in as."""
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType

    for person in spec.get("users", []):
        user, _created = User.objects.get_or_create(username=person["username"])
        user.email = person.get("email", "")
        user.set_password(person["password"])
        user.save()
    for values in spec.get("clients", []):
        client, _created = Client.objects.update_or_create(
            client_id=values["client_id"],
            defaults={
                "name": values.get("name", "Recognise"),
                "client_type": "confidential",
                "client_secret": values["client_secret"],
                "jwt_alg": "RS256",
                "require_consent": True,
                "reuse_consent": False,
                "_redirect_uris": "\n".join(values["redirect_uris"]),
                "_scope": "openid email profile",
            },
        )
        client.response_types.set([ResponseType.objects.get(value="code")])


if __name__ == "__main__":
    main()
