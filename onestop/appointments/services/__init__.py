"""Every write of the appointments app. Import from here: `from onestop.appointments.services
import booking_create`."""

from onestop.appointments.services.blocks import booking_block_lift
from onestop.appointments.services.bookings import (
    booking_cancel,
    booking_create,
    holds_release_due,
)
from onestop.appointments.services.checkin import CheckIn, booking_check_in
from onestop.appointments.services.rules import centre_rules_set
from onestop.appointments.services.slots import (
    GenerateReport,
    slot_template_create,
    slot_template_set_active,
    slots_generate,
)
from onestop.appointments.services.sweep import (
    SweepReport,
    appointments_sweep,
    no_shows_mark,
    reminders_send,
)

__all__ = [
    "CheckIn",
    "GenerateReport",
    "SweepReport",
    "appointments_sweep",
    "booking_block_lift",
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "centre_rules_set",
    "holds_release_due",
    "no_shows_mark",
    "reminders_send",
    "slot_template_create",
    "slot_template_set_active",
    "slots_generate",
]
