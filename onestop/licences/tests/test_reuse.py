"""Reading licences by a department (decision 0036): by its legal function for an item it
handles, otherwise only with the holder's one-time authorisation code (用证码)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from onestop.catalog.tests import factories as catalog_factories
from onestop.core import pii
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.licences import selectors, services
from onestop.licences.enums import VerifyResult
from onestop.licences.models import Licence, UseCode
from onestop.licences.tests import factories


@pytest.fixture
def permit(catalog):
    issued = factories.residence_permit()
    # A service of the public security bureau that accepts a residence permit.
    item = catalog_item()
    return issued, item


def catalog_item():
    return catalog_factories.published_item(
        item_key="gz-jzz-yq",
        department_ref="GZ-GAJ",
        materials=[catalog_factories.MaterialValue(name="居住证", form="original")],
    )


def _code(issued):
    return pii.reveal(issued.licence, "holder_code")


def test_the_items_department_reads_the_applicants_licences_audited(permit):
    issued, item = permit
    officer = factories.approver("GZ-GAJ")
    # when
    found = services.licences_lookup(
        actor=officer, item_key=item.item_key, holder_code=_code(issued)
    )
    # then
    assert [licence.pk for licence in found] == [issued.licence.pk]
    entry = AuditEntry.objects.filter(action="licences.licence.lookup").get()
    assert issued.licence.identifier in str(entry.changes)
    assert issued.licence.events.filter(action="read").count() == 1


def test_a_department_outside_the_items_function_is_refused(permit):
    issued, item = permit
    officer = factories.approver("GZ-SCJGJ")
    # when
    with pytest.raises(DomainError) as refused:
        services.licences_lookup(actor=officer, item_key=item.item_key, holder_code=_code(issued))
    # then
    assert (refused.value.code, refused.value.status) == ("outside_legal_function", 403)
    assert not AuditEntry.objects.filter(action="licences.licence.lookup").exists()
    assert not issued.licence.events.filter(action="read").exists()


def test_a_one_time_code_lets_another_department_read_the_licence_once(permit):
    issued, _item = permit
    officer = factories.approver("GZ-SCJGJ")
    _use_code, code = services.use_code_create(actor=issued.holder, licence_id=issued.licence.pk)
    # when
    read = services.licence_read_with_code(actor=officer, code=code.lower())
    with pytest.raises(DomainError) as again:
        services.licence_read_with_code(actor=officer, code=code)
    # then
    assert read.pk == issued.licence.pk
    assert again.value.code == "use_code_used"
    assert issued.licence.events.filter(action="read").count() == 1


def test_an_expired_code_and_a_wrong_code_are_refused_each_with_its_reason(permit):
    issued, _item = permit
    officer = factories.approver("GZ-SCJGJ")
    past = timezone.now() - timedelta(minutes=11)
    _use_code, code = services.use_code_create(
        actor=issued.holder, licence_id=issued.licence.pk, now=past
    )
    # when
    with pytest.raises(DomainError) as expired:
        services.licence_read_with_code(actor=officer, code=code)
    with pytest.raises(DomainError) as wrong:
        services.licence_read_with_code(actor=officer, code="ABCD2345")
    # then
    assert (expired.value.code, wrong.value.code) == ("use_code_expired", "use_code_invalid")
    assert UseCode.objects.get().used_at is None


def test_only_the_holder_makes_a_code_for_minutes_within_the_limit(permit):
    issued, _item = permit
    stranger = factories.accounts.citizen()
    # when
    with pytest.raises(DomainError) as not_theirs:
        services.use_code_create(actor=stranger, licence_id=issued.licence.pk)
    with pytest.raises(DomainError) as too_long:
        services.use_code_create(actor=issued.holder, licence_id=issued.licence.pk, minutes=61)
    # then
    assert (not_theirs.value.code, too_long.value.code) == ("licence_not_found", "use_code_minutes")
    assert not UseCode.objects.exists()


# --- Pages ---------------------------------------------------------------------------------------


def test_the_holder_makes_a_code_on_the_wallet_and_a_department_reads_with_it(permit, client):
    issued, _item = permit
    client.force_login(issued.holder)
    page = client.get(f"/licences/mine/{issued.licence.pk}/")
    assert f"/licences/mine/{issued.licence.pk}/code/" in page.content.decode()
    # when
    made = client.post(f"/licences/mine/{issued.licence.pk}/code/", {"minutes": "5"})
    code = made.context["code"]
    client.force_login(factories.approver("GZ-SCJGJ"))
    read = client.post("/licences/lookup/", {"action": "code", "code": code})
    again = client.post("/licences/lookup/", {"action": "code", "code": code})
    # then
    assert made.status_code == 200 and len(code) == 9
    assert read.status_code == 200
    assert issued.licence.identifier in read.content.decode()
    assert again.status_code == 409
    assert "This authorisation code has been used." in again.content.decode()
    client.force_login(issued.holder)
    history = client.get(f"/licences/mine/{issued.licence.pk}/code/").context["history"]
    assert [event.action for event in history] == ["read"]


def test_a_code_for_too_many_minutes_is_refused_on_the_page(permit, client):
    issued, _item = permit
    client.force_login(issued.holder)
    # when
    response = client.post(f"/licences/mine/{issued.licence.pk}/code/", {"minutes": "600"})
    # then
    assert response.status_code == 422
    assert "code" not in response.context
    assert not UseCode.objects.exists()


def test_the_lookup_page_refuses_a_department_outside_the_items_function(permit, client):
    issued, item = permit
    client.force_login(factories.approver("GZ-SCJGJ"))
    # when
    response = client.post(
        "/licences/lookup/",
        {"action": "function", "item_key": item.item_key, "holder_code": _code(issued)},
    )
    # then
    assert response.status_code == 403
    assert "outside your department" in response.content.decode()
    assert issued.licence.identifier not in response.content.decode()


def test_citizens_have_no_lookup_and_others_no_code_page(permit, client):
    issued, _item = permit
    client.force_login(issued.holder)
    assert client.get("/licences/lookup/").status_code == 403
    client.force_login(factories.accounts.citizen())
    assert client.get(f"/licences/mine/{issued.licence.pk}/code/").status_code == 404


def test_the_sign_pending_command_signs_what_a_decision_left_unsigned(catalog):
    # given: issued as a decision issues, its signing task never run
    issued = factories.residence_permit(sign_after_commit=True)
    assert Licence.objects.get(pk=issued.licence.pk).credential_sealed == ""
    out = StringIO()
    # when
    call_command("licences", "sign-pending", stdout=out)
    # then
    assert "1 licences signed" in out.getvalue()
    credential = selectors.licence_credential(Licence.objects.get(pk=issued.licence.pk))
    assert selectors.licence_verify_credential(credential).result == VerifyResult.VALID
