"""Every write of cases: one service per move of the CASE machine (enums), each @audited with
the case's timeline, plus the writes that are not moves (materials, assignment, review steps,
extensions, ratings) recorded on the same timeline. Import from here:
`from onestop.cases import services` and `services.case_accept(...)`.

`_moves` holds what they share (the move with its clock, reasons, numbers, the applicant's
SMS), internal to the package; the other modules follow a case's life: `intake`,
`acceptance`, `review`, `results`, `on_the_spot` (即办), `rating` (好差评) and the `sweep`.
"""

from onestop.cases.services.acceptance import (
    CORRECTION_DAYS,
    Problem,
    case_accept,
    case_correction_answer,
    case_correction_lapse,
    case_correction_request,
    case_refuse_acceptance,
    case_submit,
    case_take,
)
from onestop.cases.services.intake import (
    UPLOAD_MAX_BYTES,
    Applicant,
    case_draft_create,
    case_material_provide,
    case_material_upload,
    case_start_at_window,
)
from onestop.cases.services.on_the_spot import case_decide_at_window
from onestop.cases.services.rating import case_rate
from onestop.cases.services.results import (
    case_archive,
    case_courier_address_reveal,
    case_deliver,
    case_delivery_note,
    case_dispatch,
    case_result_produce,
)
from onestop.cases.services.review import (
    EXTENSION_MAX_DAYS,
    SUSPENSION_MAX_DAYS,
    case_assign,
    case_decide,
    case_extension_decide,
    case_extension_request,
    case_resume,
    case_review_start,
    case_step_complete,
    case_suspend,
    case_withdraw,
)
from onestop.cases.services.sweep import SweepReport, case_deadline_sweep, cases_sweep

__all__ = [
    "CORRECTION_DAYS",
    "EXTENSION_MAX_DAYS",
    "SUSPENSION_MAX_DAYS",
    "UPLOAD_MAX_BYTES",
    "Applicant",
    "Problem",
    "SweepReport",
    "case_accept",
    "case_archive",
    "case_assign",
    "case_correction_answer",
    "case_correction_lapse",
    "case_correction_request",
    "case_courier_address_reveal",
    "case_deadline_sweep",
    "case_decide",
    "case_decide_at_window",
    "case_deliver",
    "case_delivery_note",
    "case_dispatch",
    "case_draft_create",
    "case_extension_decide",
    "case_extension_request",
    "case_material_provide",
    "case_material_upload",
    "case_rate",
    "case_refuse_acceptance",
    "case_result_produce",
    "case_resume",
    "case_review_start",
    "case_start_at_window",
    "case_step_complete",
    "case_submit",
    "case_suspend",
    "case_take",
    "case_withdraw",
    "cases_sweep",
]
