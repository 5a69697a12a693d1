"""The figures of cases per department and item: counted from the cases, scoped to the
reader's department, refused for a range that makes no sense."""

from datetime import date

import pytest

from onestop.cases import services
from onestop.cases.figures import case_figures, figures_csv
from onestop.cases.tests.factories import NOW, moment
from onestop.core.workdays import working_days_between

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 1)


def _decided(office, result, *, on):
    case = office.ready_to_decide()
    reason = "不符合法定条件" if result == "refused" else ""
    return services.case_decide(
        actor=office.approver, case_id=case.pk, result=result, reason=reason, now=on
    )


def test_decisions_refusals_and_days_are_counted_per_item(office):
    # given: two decided cases (one refused), one still in review, one with a correction
    _decided(office, "approved", on=moment(2026, 12, 3))
    _decided(office, "refused", on=moment(2026, 12, 4))
    office.in_review()
    corrected = office.start()
    services.case_correction_request(
        actor=office.clerk,
        case_id=corrected.pk,
        problems=[services.Problem(None, "缺少签名")],
        now=NOW,
    )
    services.case_correction_answer(actor=office.clerk, case_id=corrected.pk, now=NOW)
    corrected = office.complete(corrected)
    services.case_accept(actor=office.clerk, case_id=corrected.pk, now=NOW)

    # when
    [row] = case_figures(office.head, DAY, DAY)

    # then
    assert (row.accepted, row.decided, row.refused, row.corrected) == (4, 2, 1, 1)
    assert row.on_time == 2 and row.on_time_rate == 1.0
    assert row.refusal_rate == 0.5 and row.correction_rate == 0.25
    used = working_days_between(DAY, date(2026, 12, 3)) + working_days_between(
        DAY, date(2026, 12, 4)
    )
    assert row.days_used == used
    assert row.average_days_promised == office.item.promised_limit_value


def test_another_departments_approver_counts_nothing_of_these_cases(office):
    # given
    from onestop.cases.tests.factories import staff_of_department
    from onestop.core.access import Role

    office.accepted()
    stranger = staff_of_department(Role.DEPARTMENT_APPROVER, "GZ-SCJGJ")

    # when / then
    assert case_figures(stranger, DAY, DAY) == []
    assert len(case_figures(office.approver, DAY, DAY)) == 1


def test_the_page_shows_the_figures_and_a_csv_and_refuses_a_backward_range(client, office):
    # given
    office.accepted()
    client.force_login(office.head)

    # when
    page = client.get("/cases/figures/", {"first": "2026-12-01", "last": "2026-12-01"})
    csv_file = client.get(
        "/cases/figures/", {"first": "2026-12-01", "last": "2026-12-01", "format": "csv"}
    )
    backward = client.get("/cases/figures/", {"first": "2026-12-02", "last": "2026-12-01"})

    # then
    assert page.status_code == 200 and office.item.name in page.content.decode()
    lines = csv_file.content.decode().splitlines()
    assert len(lines) == 2 and office.item.item_key in lines[1]
    assert backward.status_code == 400
    assert "ends before it starts" in backward.content.decode()


def test_a_clerk_may_not_read_the_figures(client, office):
    client.force_login(office.clerk)
    assert client.get("/cases/figures/").status_code == 403


def test_the_csv_of_nothing_is_its_header():
    assert figures_csv([]).count("\n") == 1
