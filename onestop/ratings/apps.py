from django.apps import AppConfig


def rating_url(public_token: str) -> str:
    """Where the holder of a finished hall visit rates it: the hall asks (hall.hooks)."""
    from django.urls import reverse

    return reverse("ratings:rate", args=[public_token])


class RatingsConfig(AppConfig):
    name = "onestop.ratings"
    label = "ratings"
    verbose_name = "Service ratings"

    def ready(self) -> None:
        from onestop.hall.hooks import rating_link

        rating_link.answer_with(rating_url)
