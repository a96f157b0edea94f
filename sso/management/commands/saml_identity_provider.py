"""Set up (or update) an organisation's SAML identity provider: docs/sso-saml.md. The
admin (Settings → Single sign-on) does the same with a pasted metadata XML."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Sets up an organisation's SAML 2.0 identity provider from its metadata URL or "
        "XML file, and prints the addresses to give it."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The organisation's short name in the addresses.")
        parser.add_argument("--name", required=True, help="Shown on the sign-in button.")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--metadata-url", help="Read again every few hours (HTTPS).")
        source.add_argument("--metadata-file", help="The metadata XML, read once now.")
        parser.add_argument(
            "--entity-id", default=None, help="The IdP's entity id, if the metadata has several."
        )
        parser.add_argument(
            "--verified-domain",
            action="append",
            default=[],
            help="An email domain whose addresses the IdP vouches for (repeatable).",
        )
        parser.add_argument("--base-url", default="https://<your Recognise address>")

    def handle(self, *args, slug, name, metadata_url, metadata_file, entity_id, **options):
        from sso.saml import (
            idp_settings_from_metadata,
            save_identity_provider,
            service_provider_paths,
        )

        if metadata_url:
            if not metadata_url.startswith("https://"):
                raise CommandError("The metadata URL must start with https://.")
            idp = {"metadata_url": metadata_url, "entity_id": entity_id or ""}
            if not entity_id:
                raise CommandError("--entity-id is needed with --metadata-url.")
        else:
            try:
                xml = Path(metadata_file).read_text()
                idp = idp_settings_from_metadata(xml, entity_id=entity_id)
            except (OSError, ValueError) as error:
                raise CommandError(f"Could not read the metadata: {error}") from error
        save_identity_provider(
            slug, name=name, idp=idp, verified_domains=options["verified_domain"]
        )
        base = options["base_url"].rstrip("/")
        paths = service_provider_paths(slug)
        self.stdout.write(
            f"Entity id and metadata: {base}{paths['metadata']}\n"
            f"Assertion consumer service (HTTP-POST): {base}{paths['acs']}\n"
            f"Single logout (HTTP-Redirect): {base}{paths['sls']}\n"
            f"Sign-in link: {base}{paths['login']}\n"
        )
