"""allauth's OpenID Connect views, with the id_token's signature always checked against
the provider's published keys (JWKS).

allauth checks the issuer, audience and expiry of every id_token, but skips its signature
when the token came straight from the provider's token endpoint, as OpenID Connect Core
(3.1.3.7) allows over TLS. The provider's keys are checked anyway: the token then vouches
for itself whatever carried it (a proxy that inspects TLS, a misconfigured endpoint)."""

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404
from requests import RequestException

from .adapter import PROVIDER_DOWN, refusal


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token):
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


def login(request, provider_id):
    return answer(OAuth2LoginView, request, provider_id)


def callback(request, provider_id):
    return answer(OAuth2CallbackView, request, provider_id)


def answer(view_class, request, provider_id):
    try:
        adapter = SignatureCheckingAdapter(request, provider_id)
        return view_class.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    except RequestException as error:
        # The provider's discovery document did not come (allauth asks for it before it
        # guards against the provider's errors): nothing can be sent to it or checked.
        # Answered as a page that explains, not a server error: Recognise itself is fine.
        return refusal(
            request,
            PROVIDER_DOWN,
            f"provider did not answer: {error}"[:400],
            app=adapter.get_provider().app,
            status=200,
        )
