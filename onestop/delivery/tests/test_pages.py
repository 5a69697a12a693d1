"""The issuance window and the locker's screen, through Django's test client."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.cases.enums import CaseState
from onestop.cases.models import Case
from onestop.cases.tests.factories import NOW
from onestop.delivery import services
from onestop.delivery.models import Deposit
from onestop.delivery.tests import factories
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _sms_code(case) -> str:
    text = OutboxMessage.objects.get(idempotency_key__startswith=f"delivery:{case.pk}:").context[
        "text"
    ]
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "统一出件窗口"), ("en", "Issuance window")]
)
def test_the_window_lists_results_awaiting_delivery(client, hall, language, words):
    # given
    case = hall.awaiting()
    client.force_login(hall.clerk)
    client.cookies["django_language"] = language
    # when
    response = client.get("/delivery/window/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert words in page and case.number in page


def test_a_clerk_puts_a_result_in_a_locker_and_the_citizen_opens_it(client, hall):
    # given
    case = hall.awaiting()
    client.force_login(hall.clerk)
    client.post("/delivery/window/", {"action": "deposit", "case_id": case.pk, "size": "M"})
    code = _sms_code(case)
    client.force_login(hall.device)
    # when
    response = client.post(
        "/delivery/locker/", {"locker_id": hall.locker.pk, "card": hall.card(), "code": code}
    )
    # then
    assert response.status_code == 200
    assert "Compartment B01 is open" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.DELIVERED


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "取件码不正确"), ("en", "The code is not right")]
)
def test_a_wrong_code_says_how_many_tries_are_left(client, hall, language, words):
    # given
    case = hall.awaiting()
    client.force_login(hall.clerk)
    client.post("/delivery/window/", {"action": "deposit", "case_id": case.pk, "size": "S"})
    wrong = "000000" if _sms_code(case) != "000000" else "111111"
    client.force_login(hall.device)
    client.cookies["django_language"] = language
    # when
    response = client.post(
        "/delivery/locker/", {"locker_id": hall.locker.pk, "card": hall.card(), "code": wrong}
    )
    # then
    assert response.status_code == 422
    assert words in response.content.decode()
    assert Deposit.objects.get().failed_attempts == 1


def test_no_free_compartment_is_shown_and_nothing_changes(client, hall):
    # given
    cases = [hall.awaiting() for _ in range(2)]
    client.force_login(hall.clerk)
    client.post("/delivery/window/", {"action": "deposit", "case_id": cases[0].pk, "size": "L"})
    # when
    response = client.post(
        "/delivery/window/", {"action": "deposit", "case_id": cases[1].pk, "size": "L"}
    )
    # then
    assert response.status_code == 409
    assert "No compartment of size L or larger is free" in response.content.decode()
    assert Deposit.objects.count() == 1


def test_a_kiosk_of_another_centre_cannot_open_this_locker_page(client, hall, db):
    # given
    elsewhere = factories.issuance()
    client.force_login(elsewhere.device)
    # when
    response = client.post(
        "/delivery/locker/", {"locker_id": hall.locker.pk, "card": hall.card(), "code": "123456"}
    )
    # then
    assert response.status_code == 404


def test_the_window_page_reads_the_same_number_of_queries_for_more_results(
    client, hall, django_assert_max_num_queries
):
    # given
    client.force_login(hall.clerk)
    hall.awaiting()
    client.get("/delivery/window/")
    with CaptureQueriesContext(connection) as one:
        client.get("/delivery/window/")
    for _ in range(3):
        hall.awaiting()
    # when / then
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/delivery/window/")
    assert response.content.decode().count('id="case-') == 4


def test_a_result_moved_back_from_a_locker_is_listed_for_the_morning_round(client, hall):
    # given
    case = hall.awaiting()
    services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    services.deposits_recover_uncollected(now=NOW + timedelta(days=8))
    client.force_login(hall.clerk)
    # when
    response = client.get("/delivery/window/")
    # then
    page = response.content.decode()
    assert 'id="recovered"' in page and page.count(case.number) == 2


def test_the_fifth_wrong_code_locks_the_compartment_with_a_clear_message(client, hall):
    # given
    case = hall.awaiting()
    client.force_login(hall.clerk)
    client.post("/delivery/window/", {"action": "deposit", "case_id": case.pk, "size": "S"})
    code = _sms_code(case)
    wrong = "000000" if code != "000000" else "111111"
    client.force_login(hall.device)
    form = {"locker_id": hall.locker.pk, "card": hall.card(), "code": wrong}
    for _ in range(4):
        client.post("/delivery/locker/", form)
    # when
    fifth = client.post("/delivery/locker/", form)
    right = client.post("/delivery/locker/", {**form, "code": code})
    # then
    assert fifth.status_code == right.status_code == 423
    assert "Too many wrong codes" in right.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_DELIVERY
