from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from onestop.core.errors import DomainError


class StaffPasswordBackend(ModelBackend):
    """Staff user name + password, for whatever calls `django.contrib.auth.authenticate`
    (the admin site's sign-in form). It goes through `signin_password`, so those attempts
    are throttled and audited like the site's own sign-in page, and only staff get in.
    Sessions of every kind of account are restored through ModelBackend.get_user, as the
    account's type (identity.actors)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        from onestop.identity.services import signin_password

        if username is None or password is None:
            return None
        try:
            return signin_password(username=username, password=password)
        except DomainError:
            return None
