"""What each move of a case costs the database, pinned: the month's 50,000 cases go through
these nine moves each, so a query more in any of them is 50,000 more round trips a month
(decision 0039)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.cases import services
from onestop.cases.tests.factories import NOW, PDF

pytestmark = pytest.mark.django_db


def test_each_move_of_a_case_takes_a_fixed_number_of_queries(office):
    counts: dict[str, int] = {}

    def run(name, call):
        with CaptureQueriesContext(connection) as queries:
            result = call()
        counts[name] = len(queries.captured_queries)
        return result

    case = run("start", lambda: office.start(now=NOW))
    line = case.materials.filter(required=True, provision="missing").first()
    run(
        "upload",
        lambda: services.case_material_upload(
            actor=office.clerk,
            case_id=case.pk,
            material_id=line.material_id,
            content=io.BytesIO(PDF),
            now=NOW,
        ),
    )
    for name, call, actor in (
        ("accept", services.case_accept, office.clerk),
        ("review", services.case_review_start, office.approver),
        ("step", services.case_step_complete, office.approver),
    ):
        run(name, lambda c=call, a=actor: c(actor=a, case_id=case.pk, now=NOW))
    run(
        "decide",
        lambda: services.case_decide(
            actor=office.approver, case_id=case.pk, result="approved", now=NOW
        ),
    )
    run(
        "produce",
        lambda: services.case_result_produce(actor=office.approver, case_id=case.pk, now=NOW),
    )
    for name, call in (("dispatch", services.case_dispatch), ("deliver", services.case_deliver)):
        run(name, lambda c=call: c(actor=office.clerk, case_id=case.pk, now=NOW))
    # then (SAVEPOINT and RELEASE included, as the test's transaction makes them): the case
    # read and locked, its clock computed with one read of the calendar's overrides, the
    # case written, a timeline row, the audit entry and its stream head, an SMS in the
    # outbox at the milestones; the start also looks for the applicant's e-licences that
    # cover a required material (用证), the decision for the licence types the item issues,
    # and the delivery puts the invitation to rate the case (好差评) in the outbox
    assert counts == {
        "start": 27,
        "upload": 9,
        "accept": 14,
        "review": 10,
        "step": 9,
        "decide": 13,
        "produce": 8,
        "dispatch": 12,
        "deliver": 12,
    }
