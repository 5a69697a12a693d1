from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from onestop.identity.public import PUBLIC_PATH_PREFIXES, PUBLIC_URL_NAMES, is_citizen_page

CITIZEN_LOGIN_URL = "identity:citizen_login"


class DenyByDefaultMiddleware:
    """Every page needs a signed-in user unless its URL name is on the public list.

    A new page is private until someone decides otherwise; the test that walks every URL
    pattern keeps that list honest. A citizen's page (public.CITIZEN_URL_NAMES) leads to the
    citizen sign-in, every other to the staff sign-in. Role checks happen in each app's policies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PATH_PREFIXES):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.view_name in PUBLIC_URL_NAMES:
            return self.get_response(request)
        if is_citizen_page(match.view_name):
            return redirect_to_login(request.get_full_path(), CITIZEN_LOGIN_URL)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
