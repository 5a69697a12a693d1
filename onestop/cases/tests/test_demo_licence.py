"""The demo's e-licence journey (decision 0036): the demo approver approves the demo
citizen's application for the operator's certificate, which lands in their wallet, and
their next application for an item that needs it does not ask for it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from onestop.cases import services
from onestop.cases.demo import KEY_PREFIX, OPERATOR_LICENCE
from onestop.cases.enums import CaseResult, Provision
from onestop.cases.models import Case
from onestop.demo.accounts import DEMO_CITIZEN_PHONE
from onestop.demo.seed import seed_demo
from onestop.identity.actors import Citizen, StaffUser
from onestop.identity.selectors import person_find_by_phone
from onestop.licences import selectors as licences
from onestop.licences.models import LicenceUse

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_demo_approver_issues_the_citizens_licence_and_it_is_reused(settings, tmp_path):
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")
    with time_machine.travel(NOW, tick=False):
        seed_demo(citizens=20, companies=2, catalog=False)
    person = person_find_by_phone(DEMO_CITIZEN_PHONE)
    assert person is not None
    waiting = Case.objects.get(item_key=KEY_PREFIX + "tzsb-zg", applicant_person=person)
    approver = StaffUser.objects.get(username="approver")
    citizen = Citizen.objects.get(person=person)
    assert isinstance(approver, StaffUser) and isinstance(citizen, Citizen)
    # when
    services.case_decide(actor=approver, case_id=waiting.pk, result=CaseResult.APPROVED)
    second = services.case_draft_create(actor=citizen, item_key=KEY_PREFIX + "tzsb-fs")
    # then
    wallet = [licence.licence_type.name for licence in licences.licences_of_holder(citizen)]
    assert OPERATOR_LICENCE in wallet
    line = second.materials.get(name=OPERATOR_LICENCE)
    assert line.provision == Provision.E_LICENCE
    assert LicenceUse.objects.get(case_id=second.pk).licence.case_id == waiting.pk
