"""Wagtail's moderation words, said the project's way.

Wagtail calls the review "moderation". Editors here send a page "for safeguarding
review", so the admin says that. The strings below are Wagtail's own message ids; the
project's catalogues give them new text: locale/en for English, locale/cy for Welsh
(translation files in LOCALE_PATHS take precedence over an app's). Listing them here
keeps `make messages` from dropping them from the Welsh catalogue.
"""

from django.utils.translation import gettext_noop

WAGTAIL_MODERATION_WORDS = [
    gettext_noop("Page '%(page_title)s' has been submitted for moderation."),
    gettext_noop("Page '%(page_title)s' created and submitted for moderation."),
    gettext_noop("In Moderation"),
    gettext_noop("in moderation"),
    gettext_noop("live + in moderation"),
]
