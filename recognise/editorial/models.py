from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewReminder(models.Model):
    """A reminder sent to a page's owner that its review is due; one per page and date."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    next_review = models.DateField(_("review due"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "next_review"], name="editorial_review_reminder_once"
            )
        ]

    def __str__(self):
        return f"Review of page {self.page_id} due {self.next_review}"
