from django.contrib.auth.backends import ModelBackend


class StaffPasswordBackend(ModelBackend):
    """Username + password. Django's ModelBackend, kept behind our name so sign-in services
    decide which account kinds may use it."""
