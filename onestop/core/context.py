"""Who is asking, and from where, for the duration of one request.

Services take the actor as an argument; the audit log also records the client address,
which only the request knows. The middleware sets it here so services need not thread it
through every call.
"""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
