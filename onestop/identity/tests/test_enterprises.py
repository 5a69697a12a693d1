import random

import pytest

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.ids import uscc_generate
from onestop.core.models import AuditEntry
from onestop.identity import selectors, services
from onestop.identity.models import Enterprise
from onestop.identity.tests.factories import EnterpriseFactory, platform_admin, staff

pytestmark = pytest.mark.django_db

USCC = uscc_generate(random.Random(1), region_code="440106")


def _counts() -> tuple[int, int]:
    return Enterprise.objects.count(), AuditEntry.objects.count()


def test_a_clerk_registers_an_enterprise_by_its_credit_code():
    # when
    enterprise = services.enterprise_register(
        actor=staff(Role.WINDOW_CLERK),
        name="广州粤海科技有限公司",
        uscc=USCC.lower(),
        legal_representative="黄志强",
    )

    # then
    assert enterprise.uscc == USCC
    assert selectors.enterprise_find_by_uscc(f" {USCC} ") == enterprise
    entry = AuditEntry.objects.get(action="enterprise.register")
    assert entry.changes["after"]["legal_representative"] == "黄**"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"uscc": USCC[:17] + ("0" if USCC[17] != "0" else "1")}, "invalid_uscc"),
        ({"uscc": "123"}, "invalid_uscc"),
        ({"name": ""}, "invalid_name"),
        ({"legal_representative": " "}, "invalid_name"),
    ],
)
def test_bad_enterprise_input_is_refused_and_changes_nothing(options, code):
    # given
    before = _counts()
    arguments = {
        "name": "广州粤海科技有限公司",
        "uscc": USCC,
        "legal_representative": "黄志强",
        **options,
    }

    # when
    with pytest.raises(DomainError) as raised:
        services.enterprise_register(actor=platform_admin(), **arguments)

    # then
    assert raised.value.code == code
    assert _counts() == before


def test_a_second_enterprise_with_the_same_code_is_a_conflict():
    # given
    EnterpriseFactory.create(uscc=USCC)
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        EnterpriseFactory.create(uscc=USCC)

    # then
    assert raised.value.code == "duplicate_enterprise"
    assert raised.value.status == 409
    assert _counts() == before


def test_an_approver_may_not_register_enterprises():
    with pytest.raises(DomainError) as raised:
        EnterpriseFactory.create(actor=staff(Role.DEPARTMENT_APPROVER))
    assert raised.value.code == "not_allowed"
