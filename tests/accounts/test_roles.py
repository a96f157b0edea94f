import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.roles import LEARNER, TRAINER, roles_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_role_groups_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Learner", "Trainer", "NGO editor", "Safeguarding reviewer", "Publisher"} <= names


@pytest.mark.parametrize(
    ("role", "may_use_admin"),
    [
        ("Learner", False),
        ("Trainer", False),
        ("NGO editor", True),
        ("Safeguarding reviewer", True),
        ("Publisher", True),
    ],
)
def test_only_editorial_roles_may_enter_the_content_admin(role, may_use_admin):
    group = Group.objects.get(name=role)
    has_access = group.permissions.filter(codename="access_admin").exists()
    assert has_access is may_use_admin


def cohorts_link_shown(client):
    page = client.get(reverse("learning:my_learning")).content.decode()
    return f'href="{reverse("cohorts:overview")}"' in page


def test_a_role_given_or_taken_away_bites_on_the_next_request(client, production_cache):
    """Roles are kept in the cache between requests; changing them must not wait."""
    user = UserFactory(role="Learner")
    trainers = Group.objects.get(name=TRAINER)
    client.force_login(user)
    assert not cohorts_link_shown(client)
    assert not cohorts_link_shown(client)  # now read from the cache

    user.groups.add(trainers)
    assert cohorts_link_shown(client)
    # A new trainer must set up a second factor before reaching the trainer pages.
    response = client.get(reverse("cohorts:overview"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")

    # Taken away from the group's side, as the NGO access settings do.
    trainers.user_set.remove(user)
    assert not cohorts_link_shown(client)
    assert client.get(reverse("cohorts:overview")).status_code in (403, 404)


def test_renamed_and_deleted_groups_are_not_kept(production_cache):
    user = UserFactory(role="Learner")
    extra = Group.objects.create(name="Editors of Example NGO")
    user.groups.add(extra)
    assert roles_for(User.objects.get(pk=user.pk)).names == {LEARNER, "Editors of Example NGO"}

    extra.name = "Editors of Renamed NGO"
    extra.save()
    assert roles_for(User.objects.get(pk=user.pk)).names == {LEARNER, "Editors of Renamed NGO"}

    extra.delete()
    assert roles_for(User.objects.get(pk=user.pk)).names == {LEARNER}


def test_a_new_account_given_a_deleted_accounts_id_has_none_of_its_roles(production_cache):
    trainer = UserFactory(role=TRAINER)
    assert TRAINER in roles_for(User.objects.get(pk=trainer.pk)).names  # now kept
    reused_id = trainer.pk
    trainer.delete()
    newcomer = User.objects.create_user(pk=reused_id, email="newcomer@example.org")
    assert roles_for(newcomer).names == frozenset()
