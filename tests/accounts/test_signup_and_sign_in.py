import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.signing_in import links_in, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(client, email="new.person@example.org", password=NEW_PASSWORD, name="New Person"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password, "display_name": name},
    )


def read_mail(folder):
    files = sorted(folder.iterdir())
    return [path.read_text() for path in files]


def test_signup_sends_a_verification_link_that_signs_the_person_in(client, mail_folder):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    user = User.objects.get(email="new.person@example.org")
    assert user.display_name == "New Person"
    assert list(user.groups.values_list("name", flat=True)) == ["Learner"]
    assert not EmailAddress.objects.get(user=user).verified

    (message,) = read_mail(mail_folder)
    assert "To: new.person@example.org" in message
    confirm_links = [link for link in links_in(message) if "/accounts/confirm-email/" in link]
    assert len(confirm_links) == 1
    path = confirm_links[0].split("testserver", 1)[1]

    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    # Confirming signs the person in: their account page opens.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_unverified_user_cannot_sign_in_to_learner_pages(client, mail_folder):
    sign_up(client)
    client.logout()

    response = sign_in(client, "new.person@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_verified_user_signs_in_and_out(client):
    user = UserFactory(role="Learner")
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()
    response = sign_in(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize(
    ("email", "password", "field", "message"),
    [
        ("not-an-email", NEW_PASSWORD, "email", "valid email"),
        ("fresh@example.org", "short1", "password1", "at least 12 characters"),
        ("fresh@example.org", "password12345", "password1", "too common"),
    ],
)
def test_signup_with_bad_input_shows_a_field_error_and_creates_nothing(
    client, email, password, field, message
):
    UserFactory(email="taken@example.org")
    users_before = User.objects.count()

    response = sign_up(client, email=email, password=password)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert User.objects.count() == users_before


def test_signup_without_a_name_is_refused(client):
    response = sign_up(client, name="   ")
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.filter(email="new.person@example.org").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"email": "x" * 5000 + "@example.org", "password1": "p", "password2": "q"},
        {"email": "nul\x00@example.org", "password1": "a\x00b" * 10, "password2": "a\x00b" * 10},
        {"email": ["a@example.org", "b@example.org"], "display_name": "\u202e" * 200},
    ],
)
def test_odd_signup_input_never_causes_a_server_error(client, payload):
    response = client.post(reverse("account_signup"), payload)
    assert response.status_code < 500
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [{}, {"login": "\x00", "password": "\x00"}, {"login": "a" * 10000, "password": "b"}],
)
def test_odd_login_input_never_causes_a_server_error(client, payload):
    response = client.post(reverse("account_login"), payload)
    assert response.status_code < 500


def test_password_reset_mail_reaches_the_account_holder(client, mail_folder):
    user = UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    (message,) = read_mail(mail_folder)
    assert f"To: {user.email}" in message
    assert any("/accounts/password/reset/key/" in link for link in links_in(message))


def test_signing_up_with_a_taken_address_looks_the_same_and_mails_its_owner(client, mail_folder):
    """Nobody learns from the form that an address has an account; its owner is told by
    email, and pointed to password reset."""
    owner = UserFactory(email="taken@example.org")
    users_before = User.objects.count()

    response = sign_up(client, email="taken@example.org")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.count() == users_before
    (message,) = read_mail(mail_folder)
    assert f"To: {owner.email}" in message
    assert any("/accounts/password/reset/" in link for link in links_in(message))


def test_existing_password_still_works_after_a_failed_signup_with_the_same_email(client):
    user = UserFactory()
    sign_up(client, email=user.email)
    assert sign_in(client, user.email, PASSWORD).status_code == 302


def test_someone_signing_up_in_welsh_gets_their_emails_in_welsh(client, mail_folder):
    with translation.override("cy"):
        response = sign_up(client)
    assert response.status_code == 302

    user = User.objects.get(email="new.person@example.org")
    assert user.preferred_language == "cy"
    (message,) = read_mail(mail_folder)
    assert "/cy/accounts/confirm-email/" in message
