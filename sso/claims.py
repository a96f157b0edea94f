"""What an identity provider asserted about a person, read the same way for every kind of
provider: whether it verified their email address, and whether they used multi-factor
authentication to sign in there."""

# amr values (RFC 8176) that prove possession of something: a one-time code, a hardware or
# software key, a code by text message. Any of these with another method, or "mfa" itself,
# is multi-factor authentication. Alone they could be a single factor (a passkey-only
# provider would still say "mfa" when its authenticator checked a PIN or fingerprint).
POSSESSION_METHODS = {"otp", "hwk", "swk", "sms"}


def is_true(value):
    # Some providers send booleans as strings ("true") or numbers.
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1"}
    return value is True or value == 1


def identity_claims(extra_data):
    """Claims about who the person is: an OpenID Connect provider's userinfo answer over
    its id_token (allauth prefers the same), or a SAML provider's attributes as given."""
    if "id_token" in extra_data or "userinfo" in extra_data:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return dict(extra_data)


def authentication_claims(extra_data):
    """Claims about how the person signed in: only the id_token's, which the provider
    signed for this sign-in (userinfo answers about the person, not the sign-in)."""
    if "id_token" in extra_data or "userinfo" in extra_data:
        return extra_data.get("id_token") or {}
    return dict(extra_data)


def email_verified_by_provider(claims):
    """OpenID Connect's email_verified; Microsoft Entra ID leaves that out and says
    xms_edov (email domain owner verified) instead, when it is asked for as an optional
    claim."""
    return is_true(claims.get("email_verified")) or is_true(claims.get("xms_edov"))


def used_multi_factor(claims, trusted_acr_values=()):
    methods = claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    methods = {str(method).lower() for method in methods}
    if "mfa" in methods:
        return True
    if methods & POSSESSION_METHODS and len(methods) >= 2:
        return True
    acr = claims.get("acr")
    return bool(acr) and str(acr) in set(trusted_acr_values)
