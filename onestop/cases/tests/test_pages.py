"""The pages of cases, through Django's test client, in the three languages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.cases.enums import CaseState
from onestop.cases.models import Case
from onestop.cases.tests.factories import PDF
from onestop.cases.tests.factories import office as office_build
from onestop.core import pii
from onestop.identity import services as identity

pytestmark = pytest.mark.django_db


def test_tracking_by_number_and_phone_shows_the_state_and_no_personal_data(client, office):
    # given
    case = office.accepted()
    stored = Case.objects.get(pk=case.pk)
    pii.assign(stored, "contact_phone", "13900000000")
    stored.save()
    # when
    found = client.post("/cases/track/", {"number": case.number, "phone": "13900000000"})
    missed = client.post("/cases/track/", {"number": case.number, "phone": "13900000009"})
    # then
    assert found.status_code == 200
    page = found.content.decode()
    assert "Accepted" in page and "working days left" in page
    assert office.applicant.name not in page
    assert missed.status_code == 404


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", "办件进度查询"), ("zh-hant", "辦件進度查詢"), ("en", "Track an application")],
)
def test_the_track_page_speaks_each_language(client, office, language, words):
    # given
    case = office.accepted()
    stored = Case.objects.get(pk=case.pk)
    pii.assign(stored, "contact_phone", "13900000000")
    stored.save()
    client.cookies["django_language"] = language
    # when
    response = client.post("/cases/track/", {"number": case.number, "phone": "13900000000"})
    # then
    page = response.content.decode()
    assert words in page
    assert {"zh-hans": "已受理", "zh-hant": "已受理", "en": "Accepted"}[language] in page


def test_an_approver_decides_on_the_case_page(client, office):
    # given
    case = office.ready_to_decide()
    client.force_login(office.approver)
    # when
    response = client.post(
        f"/cases/{case.pk}/", {"action": "decide", "result": "approved", "reason": ""}
    )
    # then
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.DECIDED


def test_an_approver_of_another_department_gets_404_on_the_page(client, office):
    # given
    case = office.accepted()
    other = office_build(department_code="GZ-SCJGJ")
    client.force_login(other.approver)
    # when
    response = client.get(f"/cases/{case.pk}/")
    # then
    assert response.status_code == 404


def test_the_inbox_lists_the_departments_cases(client, office):
    case = office.accepted()
    client.force_login(office.approver)
    response = client.get("/cases/inbox/")
    assert response.status_code == 200
    assert case.number in response.content.decode()


def test_a_citizen_applies_online_with_an_upload_and_submits(client, office):
    # given
    citizen = identity.citizen_account_create(person=office.applicant, password="x-Pass-12345")
    client.force_login(citizen)
    # when
    started = client.post(f"/cases/apply/{office.item.item_key}/", {"delivery_method": "locker"})
    case = Case.objects.get(applicant_person=office.applicant)
    line = case.materials.get(name="居民身份证")
    uploaded = client.post(
        f"/cases/{case.pk}/",
        {
            "action": "upload",
            "material_id": line.material_id,
            "file": SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf"),
        },
    )
    submitted = client.post(f"/cases/{case.pk}/", {"action": "submit"})
    # then
    assert started.status_code == 302 and uploaded.status_code == 302
    assert submitted.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.number is not None and case.number.startswith("20") and "-WEB-" in case.number
    assert case.delivery_method == "locker"
    mine = client.get("/cases/mine/")
    assert case.number in mine.content.decode()


def test_a_file_that_is_not_what_its_name_says_is_refused_on_the_page(client, office):
    citizen = identity.citizen_account_create(person=office.applicant, password="x-Pass-12345")
    client.force_login(citizen)
    client.post(f"/cases/apply/{office.item.item_key}/", {"delivery_method": "window"})
    case = Case.objects.get(applicant_person=office.applicant)
    line = case.materials.get(name="居民身份证")
    response = client.post(
        f"/cases/{case.pk}/",
        {
            "action": "upload",
            "material_id": line.material_id,
            "file": SimpleUploadedFile("id.pdf", b"GIF89a....", content_type="application/pdf"),
        },
    )
    assert response.status_code == 422
    assert "Only PDF, JPEG and PNG" in response.content.decode()
    assert not case.materials.get(pk=line.pk).file


def test_a_clerk_starts_an_application_at_the_window(client, office):
    client.force_login(office.clerk)
    id_number = pii.reveal(office.applicant, "id_number")
    response = client.post(
        "/cases/window/",
        {"id_number": id_number, "item_key": office.item.item_key, "delivery_method": "window"},
    )
    assert response.status_code == 302
    case = Case.objects.get(applicant_person=office.applicant)
    assert case.state == CaseState.PRE_REVIEW and case.centre_id == office.centre.pk


def test_the_acceptance_receipt_is_a_pdf_with_the_number_and_a_qr_code(client, office):
    # given
    case = office.accepted()
    client.force_login(office.clerk)
    # when
    response = client.get(f"/cases/{case.pk}/receipt.pdf")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    assert case.number is not None
    assert case.number.encode("utf-16-be").hex().upper().encode() in body
    assert b" re f" in body  # the QR code's squares


def test_the_notice_pdf_lists_the_problems(client, office):
    from onestop.cases import services

    case = office.start()
    services.case_correction_request(
        actor=office.clerk, case_id=case.pk, problems=[services.Problem(None, "申请表未签名")]
    )
    client.force_login(office.clerk)
    response = client.get(f"/cases/{case.pk}/notice.pdf")
    assert response.status_code == 200
    assert "申请表未签名".encode("utf-16-be").hex().upper().encode() in response.content


def test_the_visitor_called_to_the_window_is_the_applicant_and_the_item_is_found_by_words(client):
    # given: a clerk signed in at a window, with a card holder's ticket called
    from onestop.cases.tests.factories import reference
    from onestop.catalog.tests import factories as catalog_factories
    from onestop.hall.tests.factories import at
    from onestop.hall.tests.factories import hall as hall_build
    from onestop.hall.tests.factories import person as person_build
    from onestop.search.services import search_index_rebuild

    reference()
    h = hall_build()
    item = catalog_factories.published_item(department_ref="GZ-GAJ", name="居住证签注")
    search_index_rebuild()
    visitor = person_build()
    h.open(0, now=at(9))
    h.issue("social", person=visitor, now=at(9, 5))
    ticket = h.call(0, now=at(9, 10))
    client.force_login(h.clerks[0])

    # when: the clerk searches in the visitor's words
    page = client.get("/cases/window/", {"q": "居住证签注"}).content.decode()

    # then: the visitor is named (masked) and the item is offered
    assert ticket.display in page and 'id="window-visitor"' in page
    assert pii.reveal(visitor, "id_number") not in page
    assert f'value="{item.item_key}"' in page

    # when: the clerk starts the application without typing a number
    response = client.post(
        "/cases/window/", {"item_key": item.item_key, "delivery_method": "window"}
    )

    # then
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.applicant_person_id, case.ticket_id) == (visitor.pk, ticket.pk)
    assert case.centre_id == h.centre.pk


def test_without_a_visitor_or_a_number_nothing_is_started(client, office):
    # given: the clerk is at no window
    client.force_login(office.clerk)

    # when
    response = client.post(
        "/cases/window/", {"item_key": office.item.item_key, "delivery_method": "window"}
    )

    # then
    assert response.status_code == 422
    assert "Identify the applicant" in response.content.decode()
    assert not Case.objects.exists()


def test_a_social_security_card_number_identifies_the_applicant(client, office):
    # given
    client.force_login(office.clerk)
    card = pii.reveal(office.applicant, "social_security_no")

    # when
    response = client.post(
        "/cases/window/",
        {"id_number": card, "item_key": office.item.item_key, "delivery_method": "window"},
    )

    # then
    assert response.status_code == 302
    assert Case.objects.get().applicant_person_id == office.applicant.pk


def test_a_consultation_becomes_an_application_without_a_new_number(client):
    # given: a visitor who came to ask, called to window 1
    from onestop.cases.tests.factories import reference
    from onestop.catalog.tests import factories as catalog_factories
    from onestop.hall.models import Ticket
    from onestop.hall.tests.factories import at
    from onestop.hall.tests.factories import hall as hall_build
    from onestop.hall.tests.factories import person as person_build

    reference()
    h = hall_build()
    item = catalog_factories.published_item(department_ref="GZ-GAJ")
    visitor = person_build()
    h.open(0, profile="all", now=at(9))
    h.issue("social", "consultation", person=visitor, now=at(9, 5))
    asked = h.call(0, now=at(9, 10))
    client.force_login(h.clerks[0])

    # when
    client.post("/cases/window/", {"item_key": item.item_key, "delivery_method": "window"})

    # then: the case comes from an acceptance ticket with the consultation's number
    case = Case.objects.get()
    assert case.ticket_id is not None
    ticket = Ticket.objects.get(pk=case.ticket_id)
    assert (ticket.kind, ticket.display, ticket.parent_id) == (
        "acceptance",
        asked.display,
        asked.pk,
    )


def test_a_ticket_of_another_centre_is_not_attached_and_nothing_is_started(office):
    # given: a ticket called at another hall
    from onestop.cases import services
    from onestop.core.errors import DomainError
    from onestop.hall.tests.factories import at
    from onestop.hall.tests.factories import hall as hall_build

    elsewhere = hall_build()
    elsewhere.open(0, now=at(9))
    elsewhere.issue("social", now=at(9, 5))
    theirs = elsewhere.call(0, now=at(9, 10))

    # when
    with pytest.raises(DomainError):
        services.case_start_at_window(
            actor=office.clerk,
            centre_id=office.centre.pk,
            item_key=office.item.item_key,
            applicant=services.Applicant(person_id=office.applicant.pk),
            ticket_id=theirs.pk,
        )

    # then
    assert not Case.objects.exists()


def test_the_window_search_leaves_out_provincial_items(client, office):
    # given: a provincial item and the city's, named alike
    from onestop.catalog.tests import factories as catalog_factories
    from onestop.search.services import search_index_rebuild

    provincial = catalog_factories.published_item(
        level="province",
        region_ref="",
        department_ref="",
        authority_name="广东省公安厅",
        name="居住证进度查询",
    )
    city = catalog_factories.published_item(department_ref="GZ-GAJ", name="居住证签注办理")
    search_index_rebuild()
    client.force_login(office.clerk)

    # when
    page = client.get("/cases/window/", {"q": "居住证"}).content.decode()

    # then
    assert f'value="{city.item_key}"' in page
    assert f'value="{provincial.item_key}"' not in page
