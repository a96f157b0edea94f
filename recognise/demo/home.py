"""The demo site tree: the home page's content."""

from django.conf import settings
from django.db import transaction

from recognise.home.models import HomePage

HOME_CONTENT = {
    "title": "Recognise",
    "strapline": (
        "Training for UK practitioners who may meet a child who has been trafficked: "
        "police, social care, border, health, education and voluntary sector staff."
    ),
    "intro": (
        "<p>Children who have been trafficked are often not recognised as victims. "
        "These courses help you notice the signs in your own work, know what to do "
        "next, and work with other agencies to keep the child safe.</p>"
    ),
}


@transaction.atomic
def load_demo_home_page():
    """Bring the home page's content up to date, publishing only when it changed."""
    home = HomePage.objects.get(depth=2, locale__language_code=settings.LANGUAGE_CODE)
    if all(getattr(home, field) == value for field, value in HOME_CONTENT.items()):
        return home
    for field, value in HOME_CONTENT.items():
        setattr(home, field, value)
    home.draft_title = home.title
    home.save_revision().publish()
    return home
