"""Every write of the hall. Import from here: `from onestop.hall.services import
ticket_call_next`."""

from onestop.hall.services.arrival import booking_arrive
from onestop.hall.services.flow import (
    Called,
    ticket_call_next,
    ticket_cancel,
    ticket_finish,
    ticket_no_show,
    ticket_recall,
    ticket_reinstate,
    ticket_start,
    ticket_withdraw,
)
from onestop.hall.services.issue import Issued, ticket_issue
from onestop.hall.services.moves import ticket_convert, ticket_transfer
from onestop.hall.services.windows import (
    prefix_set,
    profile_save,
    rules_set,
    window_close,
    window_create,
    window_open,
    window_pause,
    window_resume,
)

__all__ = [
    "Called",
    "Issued",
    "booking_arrive",
    "prefix_set",
    "profile_save",
    "rules_set",
    "ticket_call_next",
    "ticket_cancel",
    "ticket_convert",
    "ticket_finish",
    "ticket_issue",
    "ticket_no_show",
    "ticket_recall",
    "ticket_reinstate",
    "ticket_start",
    "ticket_transfer",
    "ticket_withdraw",
    "window_close",
    "window_create",
    "window_open",
    "window_pause",
    "window_resume",
]
