"""An independent SAML 2.0 identity provider for the tests: pysaml2, with a key and
certificate of its own made for the test run, signing with Debian's xmlsec1."""

import base64
import datetime
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server

IDP_ENTITY_ID = "https://idp.trust.example/saml"
IDP_SSO_URL = "https://idp.trust.example/saml/sso"
MFA = "http://schemas.microsoft.com/claims/multipleauthn"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"


def new_key_and_certificate(name="idp"):
    """A new RSA key and a self-signed certificate for it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def key_and_certificate(folder: Path, name: str):
    """A new key and certificate, written as PEM files."""
    key, certificate = new_key_and_certificate(name)
    key_file = folder / f"{name}.key"
    cert_file = folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def certificate_body(cert_file: Path):
    """The certificate as SAML metadata and allauth's settings carry it: base64, no armour."""
    return pem_body(cert_file.read_text())


def pem_body(pem):
    return "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))


def new_certificate_body():
    """A certificate, as allauth's settings carry it, of a key nobody keeps."""
    _key, certificate = new_key_and_certificate()
    return pem_body(certificate.public_bytes(serialization.Encoding.PEM).decode())


class IdentityProvider:
    """A pysaml2 IdP that knows the given service providers from their metadata."""

    def __init__(self, key_file, cert_file, sp_metadata, lifetime_minutes=15):
        self.key_file, self.cert_file = key_file, cert_file
        config = IdPConfig()
        config.load(
            {
                "entityid": IDP_ENTITY_ID,
                "xmlsec_binary": "/usr/bin/xmlsec1",
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "metadata": {"inline": list(sp_metadata)},
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (IDP_SSO_URL, BINDING_HTTP_REDIRECT),
                                (IDP_SSO_URL, BINDING_HTTP_POST),
                            ]
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": lifetime_minutes},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
            }
        )
        self.server = Server(config=config)

    @property
    def certificate(self):
        return certificate_body(self.cert_file)

    def metadata(self):
        return create_metadata_string(None, config=self.server.config).decode()

    def read_authn_request(self, redirect_url):
        """The AuthnRequest a service provider sent the browser to us with."""
        assert redirect_url.startswith(IDP_SSO_URL), redirect_url
        query = parse_qs(urlparse(redirect_url).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        return request.message

    def response(
        self,
        *,
        sp_entity_id,
        acs_url,
        email,
        given_name="Ada",
        family_name="Lovelace",
        in_response_to=None,
        sign_assertion=True,
        sign_response=False,
        authn_context=PASSWORD,
        sha1=False,
    ):
        """A SAMLResponse (base64, as a browser would post it) for the person."""
        identity = {"mail": [email], "givenName": [given_name], "sn": [family_name]}
        response = self.server.create_authn_response(
            identity=identity,
            in_response_to=in_response_to,
            destination=acs_url,
            sp_entity_id=sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": authn_context, "authn_auth": IDP_ENTITY_ID},
            sign_assertion=sign_assertion,
            sign_response=sign_response,
            userid=email,
            sign_alg=RSA_SHA1 if sha1 else RSA_SHA256,
            digest_alg=SHA1 if sha1 else SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()


def inflate(saml_request):
    return zlib.decompress(base64.b64decode(saml_request), -15).decode()
