from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "onestop.appointments"
    label = "appointments"
    verbose_name = "Appointments"
