"""Links read outside a request (an SMS, a printed receipt), on the platform's public address
(`ONESTOP_PUBLIC_URL`): a relative path means nothing on a phone's message list."""

from django.conf import settings


def public_url(path: str) -> str:
    """`path` (from `reverse`) on the platform's public address."""
    return f"{settings.ONESTOP_PUBLIC_URL}{path}"
