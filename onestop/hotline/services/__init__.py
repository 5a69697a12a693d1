"""Every write of the hotline: configuration (lines, taxonomy, routing), work orders from
registration to closing, and the periodic sweep."""

from onestop.hotline.services.calls import call_attach, calls_register
from onestop.hotline.services.config import (
    LoadCounts,
    lines_load,
    route_set,
    taxonomy_load,
)
from onestop.hotline.services.open311 import (
    open311_key_check,
    open311_key_create,
    open311_key_revoke,
)
from onestop.hotline.services.orders import (
    EXTENSION_MAX_DAYS,
    OrderInput,
    order_accept,
    order_add_information,
    order_answer,
    order_ask,
    order_close,
    order_consultation_answer,
    order_contact_reveal,
    order_create,
    order_dispatch,
    order_extension_decide,
    order_extension_request,
    order_reply,
    order_return,
    order_return_visit,
    order_return_visit_answer,
    phone_clean,
)
from onestop.hotline.services.sweep import SweepReport, orders_sweep

__all__ = [
    "EXTENSION_MAX_DAYS",
    "LoadCounts",
    "OrderInput",
    "SweepReport",
    "call_attach",
    "calls_register",
    "lines_load",
    "open311_key_check",
    "open311_key_create",
    "open311_key_revoke",
    "order_accept",
    "order_add_information",
    "order_answer",
    "order_ask",
    "order_close",
    "order_consultation_answer",
    "order_contact_reveal",
    "order_create",
    "order_dispatch",
    "order_extension_decide",
    "order_extension_request",
    "order_reply",
    "order_return",
    "order_return_visit",
    "order_return_visit_answer",
    "orders_sweep",
    "phone_clean",
    "route_set",
    "taxonomy_load",
]
