"""The access model (core.access): grants cover places by their role's scope, tables say
who holds what, coverage filters lists. Actors here are plain objects with grants."""

from dataclasses import dataclass, field

import pytest

from onestop.core.access import Coverage, Grant, Permissions, Place, Role, Rule, roles_of
from onestop.core.errors import PermissionDenied

R = Role


@dataclass
class Someone:
    roles: tuple[Grant, ...] = ()
    pk: int = 7
    is_active: bool = True
    person_id: int | None = None
    audit_label: str = "staff:someone"
    extra: dict[str, object] = field(default_factory=dict)

    def grants(self) -> tuple[Grant, ...]:
        return self.roles


RULES = Permissions(
    {
        "serve": Rule(scoped={R.WINDOW_CLERK}, denied="Not at your centre."),
        "manage": Rule(scoped={R.HALL_MANAGER}, anywhere={R.PLATFORM_ADMIN}),
        "approve": Rule(scoped={R.DEPARTMENT_APPROVER}),
        "dispatch": Rule(scoped={R.DISPATCHER}),
        "patrol": Rule(scoped={R.GRID_WORKER}),
        "see own": Rule(owner=True),
        "sweep": Rule(system=True),
    }
)


def test_a_centre_role_covers_its_own_centre_only():
    clerk = Someone((Grant(R.WINDOW_CLERK, centre_id=3),))
    assert RULES.can(clerk, "serve", Place(centre_id=3))
    assert not RULES.can(clerk, "serve", Place(centre_id=4))
    assert not RULES.can(clerk, "serve", Place(department_id=3))


def test_a_department_role_covers_its_own_department_only():
    approver = Someone((Grant(R.DEPARTMENT_APPROVER, department_id=11),))
    assert RULES.can(approver, "approve", Place(department_id=11))
    assert not RULES.can(approver, "approve", Place(department_id=12))


def test_a_region_role_covers_every_region_inside_its_own():
    dispatcher = Someone((Grant(R.DISPATCHER, region_code="440106"),))
    assert RULES.can(dispatcher, "dispatch", Place(region_code="440106"))
    assert RULES.can(dispatcher, "dispatch", Place(region_code="440106012"))
    assert not RULES.can(dispatcher, "dispatch", Place(region_code="440104"))
    assert not RULES.can(dispatcher, "dispatch", Place())


def test_a_grid_role_covers_its_own_grid_only():
    worker = Someone((Grant(R.GRID_WORKER, grid_id=5),))
    assert RULES.can(worker, "patrol", Place(grid_id=5))
    assert not RULES.can(worker, "patrol", Place(grid_id=6))


def test_an_anywhere_role_needs_no_place_and_a_role_not_listed_gets_nothing():
    admin = Someone((Grant(R.PLATFORM_ADMIN, region_code="4401"),))
    assert RULES.can(admin, "manage", Place(centre_id=99))
    assert not RULES.can(admin, "serve", Place(centre_id=99))


def test_the_owner_rule_matches_the_person_or_the_account():
    citizen = Someone(person_id=42, pk=9)
    assert RULES.can(citizen, "see own", Place(person_id=42))
    assert RULES.can(citizen, "see own", Place(account_id=9))
    assert not RULES.can(citizen, "see own", Place(person_id=43))


def test_inactive_accounts_hold_nothing_and_no_account_is_the_platform():
    switched_off = Someone((Grant(R.WINDOW_CLERK, centre_id=3),), is_active=False)
    assert not RULES.can(switched_off, "serve", Place(centre_id=3))
    assert roles_of(switched_off) == []
    assert RULES.can(None, "sweep")
    assert not RULES.can(None, "serve")


def test_require_names_the_permission_and_says_why():
    with pytest.raises(PermissionDenied) as refused:
        RULES.require(Someone(), "serve", Place(centre_id=3))
    assert refused.value.params == {"permission": "serve"}
    assert refused.value.message == "Not at your centre."


def test_coverage_unites_the_places_of_every_grant():
    manager = Someone(
        (Grant(R.HALL_MANAGER, centre_id=3), Grant(R.HALL_MANAGER, centre_id=5)),
    )
    coverage = RULES.coverage(manager, "manage")
    assert coverage.centre_ids == {3, 5}
    assert not coverage.everywhere and not coverage.nothing
    assert RULES.coverage(Someone((Grant(R.PLATFORM_ADMIN),)), "manage").everywhere
    assert RULES.coverage(Someone(), "manage").nothing


@pytest.mark.django_db
def test_coverage_filters_a_queryset_by_the_fields_given():
    from onestop.core.models import Region

    # given
    for code, name in (("440106", "天河区"), ("440106012", "石牌街道"), ("440104", "越秀区")):
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": 3})
    coverage = Coverage(region_codes=frozenset({"440106"}))

    # when
    found = Region.objects.filter(coverage.q(region="code")).filter(code__startswith="4401")

    # then
    assert sorted(found.values_list("code", flat=True)) == ["440106", "440106012"]
    assert not Region.objects.filter(Coverage().q(region="code")).exists()
