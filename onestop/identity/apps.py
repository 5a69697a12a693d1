from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "onestop.identity"
    label = "identity"
    verbose_name = "Identity (一卡)"
