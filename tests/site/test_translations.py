"""The Welsh catalogue is complete and matches the code."""

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from accounts.allauth_wording import ALLAUTH_WORDS, PASSWORD_RULES, SOCIALACCOUNT_WORDS

CATALOGUE = settings.BASE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po"

# One test rewrites the catalogue for a moment: in a parallel run (`make test`), the tests
# that read it run in the same process, one after another.
pytestmark = pytest.mark.xdist_group("welsh-catalogue")


def test_every_interface_string_has_a_welsh_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.untranslated_entries(), [
        e.msgid for e in catalogue.untranslated_entries()
    ][:10]
    assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()][:10]
    assert catalogue.percent_translated() == 100


def test_catalogue_is_up_to_date_with_the_code():
    """Regenerate the catalogue from the code, compare its strings, then put it back."""
    committed_text = CATALOGUE.read_text(encoding="utf-8")
    committed = polib.pofile(committed_text)
    try:
        call_command(
            "makemessages",
            locale=["cy"],
            ignore_patterns=[".venv/*", "var/*", "staticfiles/*", "tests/*", "benchmarks/*"],
            no_obsolete=True,
            verbosity=0,
        )
        fresh = polib.pofile(str(CATALOGUE))
    finally:
        CATALOGUE.write_text(committed_text, encoding="utf-8")
    fresh_ids = {(e.msgctxt, e.msgid) for e in fresh if not e.obsolete}
    committed_ids = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    assert fresh_ids - committed_ids == set(), "run `make messages` and translate the new strings"
    assert committed_ids - fresh_ids == set(), "run `make messages` to drop strings no longer used"


@pytest.mark.django_db
def test_the_site_speaks_welsh_under_cy():
    page = Client().get("/cy/accounts/login/").content.decode()
    assert '<html lang="cy">' in page
    with translation.override("cy"):
        assert translation.gettext("Skip to main content") != "Skip to main content"
        assert translation.gettext("Skip to main content") in page
    assert "Os yw plentyn mewn perygl uniongyrchol, ffoniwch 999." in page


def test_allauth_and_password_rule_words_have_welsh():
    """allauth ships no Welsh and Django's lacks the password rules: the project's
    catalogue holds every one of their strings on the account pages, in Welsh."""
    catalogue = polib.pofile(str(CATALOGUE))
    listed = [
        entry
        for entry in catalogue
        if any(path.startswith("accounts/allauth_wording.py") for path, _ in entry.occurrences)
    ]
    # The connection pages' words repeat two of the account pages' (Remove, Sign In).
    connection_words = set(SOCIALACCOUNT_WORDS) - set(ALLAUTH_WORDS)
    assert len(listed) == len(ALLAUTH_WORDS) + len(PASSWORD_RULES) + len(connection_words)
    untranslated = []
    with translation.override("cy"):
        for entry in listed:
            if entry.msgid_plural:
                shown = translation.ngettext(entry.msgid, entry.msgid_plural, 12)
                english = entry.msgid_plural
            else:
                shown, english = translation.gettext(entry.msgid), entry.msgid
            if shown == english:
                untranslated.append(entry.msgid)
    assert untranslated == []
