"""The demo's licences: the README's citizen holds at least three types, one revoked."""

from typing import Any

import pytest

from onestop.core import pii
from onestop.identity.tests import factories as accounts
from onestop.licences import selectors
from onestop.licences.demo import DemoHolder, licences_seed_demo
from onestop.licences.models import Licence

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_holds_three_types_one_revoked_and_seeding_again_adds_nothing(catalog):
    # given
    citizen: Any = accounts.citizen(name="陈晓明")
    company: Any = accounts.EnterpriseFactory.create()
    people = [DemoHolder(citizen.person.name, pii.reveal(citizen.person, "id_number"))]

    # when
    issued = licences_seed_demo(
        actor=None, people=people, companies=[DemoHolder(company.name, company.uscc)]
    )
    again = licences_seed_demo(actor=None, people=people, companies=[])

    # then
    wallet = list(selectors.licences_of_holder(citizen))
    assert len({licence.licence_type_code for licence in wallet}) >= 3
    assert [licence.status for licence in wallet].count("revoked") == 1
    assert issued == Licence.objects.count() and again == 0
    assert Licence.objects.filter(holder_enterprise=company).count() == 3
