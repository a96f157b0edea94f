import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import UserFactory
from tests.query_budgets import production_cache  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def english_until_a_test_says_otherwise():
    """Each test starts in the site's default language, whatever the test before activated
    (reverse() and rendering both follow the active language)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def learner(db):
    return UserFactory(role="Learner")


@pytest.fixture
def mail_folder(settings, tmp_path):
    """Send mail to files, as development does, so tests read what a person would open."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"
