"""The one scoping mechanism: a set of region-code subtrees."""

import pytest

from core.roles import Action
from core.roles import Role
from core.scoping import Scope
from core.scoping import code_in_subtree
from core.scoping import scope_for
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from wilayah.models import Region


def test_subtree_membership_follows_code_segments():
    assert code_in_subtree("33.18.01.2001", "33.18")
    assert code_in_subtree("33.18", "33.18")
    assert not code_in_subtree("33.19", "33.1")
    assert not code_in_subtree("33", "33.18")


def test_scope_drops_codes_covered_by_a_wider_code():
    scope = Scope.of(["33.18.01.2001", "33.18", "35.05.01", "33.18.02"])
    assert scope.roots == frozenset({"33.18", "35.05.01"})
    assert scope.contains("33.18.21.2005") and scope.contains("35.05.01.2001")
    assert not scope.contains("35.05.02") and not scope.contains("33") and not scope.contains(None)


def test_covers_compares_whole_scopes():
    assert Scope.of(["33"]).covers(Scope.of(["33.18", "33.19.01.2001"]))
    assert not Scope.of(["33.18"]).covers(Scope.of(["33.18", "34"]))
    assert Scope.national().covers(Scope.of(["91"]))
    assert not Scope.of(["33"]).covers(Scope.national())


@pytest.mark.django_db
def test_queryset_filter_matches_python_membership():
    scope = Scope.of(["33.18.01", PAKEM, "35.05.01.2001", "36.03.21"])
    rows = set(Region.objects.within(scope).values_list("code", flat=True))
    expected = {code for code in Region.objects.values_list("code", flat=True) if scope.contains(code)}
    assert rows == expected
    assert "33.18.01.2001" in rows and "33.18.02.2001" not in rows


@pytest.mark.django_db
def test_empty_scope_sees_nothing_and_national_sees_everything():
    assert Region.objects.within(Scope()).count() == 0
    assert Region.objects.within(Scope.national()).count() == 91_599


@pytest.mark.django_db
def test_user_scope_is_the_union_of_roles_granting_the_action():
    director = make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)
    director.role_assignments.create(role=Role.FEDERATION_DIRECTOR, region_id=PAKEM)
    officer_elsewhere = director.role_assignments.create(role=Role.KABUPATEN_OFFICER, region_id="35.05")

    assert scope_for(director, Action.VIEW).roots == {PRAWOTO, PAKEM, "35.05"}
    # Only the officer role lets them manage users.
    director.__dict__.pop("_scope_cache")
    assert scope_for(director, Action.MANAGE_USERS).roots == {"35.05"}
    officer_elsewhere.delete()


@pytest.mark.django_db
def test_inactive_and_anonymous_users_have_no_scope(pati_officer):
    from django.contrib.auth.models import AnonymousUser

    assert scope_for(AnonymousUser()).is_empty
    assert scope_for(pati_officer).roots == {PATI}
    pati_officer.is_active = False
    pati_officer.__dict__.pop("_scope_cache")
    assert scope_for(pati_officer).is_empty


@pytest.mark.django_db
def test_national_admin_and_superuser_see_everything(national_admin):
    from accounts.models import User

    assert scope_for(national_admin).everything
    root = User.objects.create_superuser(email="root@test.kopdes.id", password="x", full_name="Root")
    assert scope_for(root, Action.MANAGE_USERS).everything
