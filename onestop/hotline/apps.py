from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "onestop.hotline"
    label = "hotline"
    verbose_name = "12345 hotline"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from onestop.core.models import CalendarOverride, Department, Region
        from onestop.hotline import config_cache
        from onestop.hotline.models import Category, DueRule, RoutingRule

        # What the configuration snapshot holds: a change gives the stamp a new token.
        for model in (RoutingRule, DueRule, Category, Region, Department, CalendarOverride):
            post_save.connect(config_cache.changed, sender=model, dispatch_uid=f"hotline-{model}")
            post_delete.connect(
                config_cache.changed, sender=model, dispatch_uid=f"hotline-del-{model}"
            )
