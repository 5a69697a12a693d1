from onestop.hall.models.config import HallRules, TicketPrefix
from onestop.hall.models.tickets import NumberSeries, Ticket, TicketEvent
from onestop.hall.models.windows import Window, WorkProfile, WorkProfileEntry

__all__ = [
    "HallRules",
    "NumberSeries",
    "Ticket",
    "TicketEvent",
    "TicketPrefix",
    "Window",
    "WorkProfile",
    "WorkProfileEntry",
]
