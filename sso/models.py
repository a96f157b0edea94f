from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, domains_in


def values_in(text):
    """The values of a list typed one per line, each once, blank lines left out."""
    values = [line.strip() for line in (text or "").splitlines()]
    return list(dict.fromkeys(value for value in values if value))


class OrganisationSignIn(models.Model):
    """How an organisation's staff sign in with their own identity provider.

    The provider itself (client id, secret, server address, or for SAML its metadata) is
    an allauth SocialApp; this links it to the organisation and says whose addresses it
    may sign in, whether members must use it, and whether its multi-factor
    authentication counts as Recognise's second factor. Nothing here depends on the kind
    of provider: the app is the key.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="sign_ins",
    )
    app = models.OneToOneField(
        SocialApp,
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="organisation_sign_in",
    )
    email_domains = models.TextField(
        _("email domains"),
        help_text=_(
            "One per line: people whose address is at one of these domains sign in with "
            "this provider. Each must be one of the organisation's verified domains, and "
            "no other organisation's sign-in may have it."
        ),
    )
    required_for_members = models.BooleanField(
        _("require single sign-on for members"),
        default=False,
        help_text=_(
            "Members of the organisation can then no longer sign in with a password "
            "(administrators still can)."
        ),
    )
    trust_provider_mfa = models.BooleanField(
        _("trust the provider's multi-factor authentication"),
        default=False,
        help_text=_(
            "When the provider says the person used multi-factor authentication, staff "
            "need not also enter a Recognise two-factor code."
        ),
    )
    trusted_acr_values = models.TextField(
        _("trusted authentication context values (acr)"),
        blank=True,
        help_text=_(
            "One per line: acr values the provider sends only after multi-factor "
            "authentication. Its amr claim saying mfa, otp, hwk or swk counts anyway."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on")
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.organisation}: {self.app.name}" if self.app_id else str(self.organisation)

    def domains(self):
        return domains_in(self.email_domains)

    def acr_values(self):
        return values_in(self.trusted_acr_values)

    def clean(self):
        # Checked here rather than by a field validator, so migrations never import it.
        super().clean()
        domains = self.domains()
        if not domains:
            raise ValidationError({"email_domains": _("Enter at least one email domain.")})
        if self.organisation_id:
            verified = self.organisation.verified_domains()
            unverified = [domain for domain in domains if domain not in verified]
            if unverified:
                raise ValidationError(
                    {
                        "email_domains": _(
                            "Not one of %(organisation)s's verified domains: %(domains)s. "
                            "Add it to the organisation's verified domains first."
                        )
                        % {"organisation": self.organisation, "domains": ", ".join(unverified)}
                    }
                )
        claimed = claimed_domains(exclude=self.pk)
        taken = sorted(domain for domain in domains if domain in claimed)
        if taken:
            raise ValidationError(
                {
                    "email_domains": _(
                        "Already signed in by another organisation's single sign-on: "
                        "%(domains)s. A domain can belong to one sign-in only."
                    )
                    % {
                        "domains": ", ".join(
                            f"{domain} ({claimed[domain].organisation})" for domain in taken
                        )
                    }
                }
            )
        self.email_domains = "\n".join(domains)


def claimed_domains(exclude=None):
    """Every domain some sign-in has, and that sign-in."""
    sign_ins = OrganisationSignIn.objects.select_related("organisation").exclude(pk=exclude)
    return {domain: sign_in for sign_in in sign_ins for domain in sign_in.domains()}
