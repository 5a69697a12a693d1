"""The URLs anyone may open without signing in. Everything else is denied by default."""

PUBLIC_URL_NAMES: frozenset[str] = frozenset(
    {
        "portal:home",
        "portal:healthz",
        "identity:login",
        "identity:citizen_login",
        "identity:citizen_sms_request",
        "identity:citizen_sms_login",
        "identity:kiosk_card",
        "set_language",
        "admin:login",
        "jwks",
    }
)

# Path prefixes that authenticate by other means (the API checks its own tokens/sessions
# per operation; static files are public assets).
PUBLIC_PATH_PREFIXES: tuple[str, ...] = ("/static/", "/api/", "/admin/")

# API operations open to anonymous callers, as (method, path). Every other operation
# declares an authentication; the test that walks the API checks both.
PUBLIC_API_OPERATIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/api/v1/identity/signin/sms-code"),
    }
)
