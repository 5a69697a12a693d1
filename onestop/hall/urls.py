from django.urls import path

from onestop.hall.views import console, kiosk, public

app_name = "hall"
urlpatterns = [
    path("kiosk/", kiosk.start, name="kiosk"),
    path("kiosk/walk-in/", kiosk.walk_in, name="kiosk_walk_in"),
    path("kiosk/appointment/", kiosk.appointment, name="kiosk_appointment"),
    path("kiosk/ticket/<str:token>/", kiosk.ticket, name="kiosk_ticket"),
    path("kiosk/ticket/<str:token>/receipt/", kiosk.receipt, name="kiosk_receipt"),
    path("console/", console.console, name="console"),
    path("console/window/<slug:action>/", console.window_action, name="console_window"),
    path(
        "console/ticket/<int:ticket_id>/<slug:action>/",
        console.ticket_action,
        name="console_ticket",
    ),
    path("board/<slug:code>/", public.board, name="board"),
    path("t/<str:token>/", public.ticket_status, name="ticket_status"),
    path("t/<str:token>/withdraw/", public.ticket_withdraw, name="ticket_withdraw"),
]

# The hall's public pages: onestop.identity.public lists these names.
PUBLIC_URL_NAMES = frozenset(
    {f"{app_name}:board", f"{app_name}:ticket_status", f"{app_name}:ticket_withdraw"}
)
