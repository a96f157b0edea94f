import pytest

from tests.factories import UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(role="Learner")


@pytest.fixture
def mail_folder(settings, tmp_path):
    """Send mail to files, as development does, so tests read what a person would open."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"
