"""The Ed25519 keys that sign Open Badges credentials and their status lists.

The first key comes from the OPENBADGES_PRIVATE_KEY setting (an environment variable in
production). Rotating (manage.py rotate_signing_key) stores that key and a new one in the
database: the newest key signs from then on, and every earlier key stays published in the
JWKS, so credentials signed before a rotation keep verifying. Private keys never leave
the server except as the backups the rotation command writes.
"""

import base64
import hashlib
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALGORITHM = "EdDSA"


class SigningKey(models.Model):
    """A signing key; the newest one not retired signs, the others only verify."""

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    private_pem = models.TextField(_("private key (PEM)"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        app_label = "certificates"
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.kid


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@cache
def load_private_key(pem):
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("A signing key must be an Ed25519 key.")
    return key


def new_private_pem():
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_jwk_for(pem):
    raw = (
        load_private_key(pem)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    x = b64url(raw)
    # RFC 7638 thumbprint: a key id that changes only when the key does.
    thumbprint = b64url(
        hashlib.sha256(f'{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}'.encode()).digest()
    )
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": thumbprint,
        "alg": ALGORITHM,
        "use": "sig",
    }


def kid_for(pem):
    return public_jwk_for(pem)["kid"]


def _configured_pem():
    return settings.OPENBADGES_PRIVATE_KEY


def current_pem():
    """The PEM of the key that signs now."""
    stored = (
        SigningKey.objects.filter(retired_at__isnull=True).values_list("private_pem", flat=True)
    ).first()
    return stored or _configured_pem()


def all_pems():
    """Every key that verifies: the current one first, then the earlier ones."""
    current = current_pem()
    stored = SigningKey.objects.values_list("private_pem", flat=True)
    pems = [current, *(pem for pem in stored if pem != current)]
    configured = _configured_pem()
    if configured and configured not in pems:
        pems.append(configured)
    return pems


def public_jwks():
    return {"keys": [public_jwk_for(pem) for pem in all_pems()]}


def public_key_for_kid(kid):
    """The public key named kid, or None when it is none of ours."""
    for pem in all_pems():
        if kid_for(pem) == kid:
            return load_private_key(pem).public_key()
    return None


def private_pem_for_kid(kid):
    for pem in all_pems():
        if kid_for(pem) == kid:
            return pem
    return None


def public_pem(public_key: Ed25519PublicKey):
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


class BackupRequired(ValueError):
    pass


def write_backup(directory, pem):
    """Write pem to a new file only its owner can read; returns its path."""
    if not directory:
        raise BackupRequired("A backup directory is required.")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"openbadges-signing-key-{stamp}-{kid_for(pem)}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as backup:
        backup.write(pem)
    return path


@transaction.atomic
def rotate(backup_dir):
    """Back up the current key to backup_dir, then make a new current key (backed up
    there too).

    Returns (backup paths, old kid, new kid). Nothing changes if the backup cannot
    be written.
    """
    old_pem = current_pem()
    if not old_pem:
        raise ValueError("There is no signing key to rotate (set OPENBADGES_PRIVATE_KEY).")
    backup = write_backup(backup_dir, old_pem)
    now = timezone.now()
    old_kid = kid_for(old_pem)
    stored, _created = SigningKey.objects.get_or_create(
        kid=old_kid, defaults={"private_pem": old_pem, "created_at": now}
    )
    SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
    new_pem = new_private_pem()
    SigningKey.objects.create(kid=kid_for(new_pem), private_pem=new_pem, created_at=now)
    # The new key is backed up too: until the next rotation it lives only in the database.
    new_backup = write_backup(backup_dir, new_pem)
    return [backup, new_backup], old_kid, kid_for(new_pem)
