import pytest
from django.contrib.auth.models import Group

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
