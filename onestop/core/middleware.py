import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from onestop.core import context


def _client_ip(request: HttpRequest) -> str:
    # Behind the production proxy the first forwarded hop is the client; trusted only
    # when the deployment says it sits behind one.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


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
