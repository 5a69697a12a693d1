from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "onestop.hall"
    label = "hall"
    verbose_name = "Service hall"

    def ready(self) -> None:
        # A clerk may see the full identifiers of the person at their window.
        from onestop.hall.purposes import AT_WINDOW_PURPOSE, person_at_window
        from onestop.identity.hooks import register_purpose

        register_purpose(AT_WINDOW_PURPOSE, person_at_window)

        # A booking's page shows the number of the ticket its check-in took.
        from onestop.appointments.hooks import booking_ticket
        from onestop.hall.booking_tickets import ticket_of_booking

        booking_ticket.answer_with(ticket_of_booking)
