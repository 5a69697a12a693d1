import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from onestop.core import context
from onestop.core.client_address import client_address


def _client_ip(request: HttpRequest) -> str:
    # X-Forwarded-For is believed only as far as the configured proxies vouch for it.
    return client_address(request.META)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip_token = context.client_ip.set(_client_ip(request))
        rid_token = context.request_id.set(uuid.uuid4().hex)
        try:
            return self.get_response(request)
        finally:
            context.client_ip.reset(ip_token)
            context.request_id.reset(rid_token)
