"""The URLs anyone may open without signing in. Everything else is denied by default."""

PUBLIC_URL_NAMES: frozenset[str] = frozenset(
    {
        "portal:home",
        "portal:healthz",
        "portal:favicon",
        "identity:login",
        "identity:citizen_login",
        "identity:citizen_sms_request",
        "identity:citizen_sms_login",
        "set_language",
        "admin:login",
        "jwks",
        # E-licences: the issuer's metadata, anyone's verification, the status lists.
        "jwt_vc_issuer",
        "licences:verify",
        "licences:status_list",
        # The online hall (一网) is open to everyone.
        "catalog:index",
        "catalog:theme_list",
        "catalog:theme_detail",
        "catalog:department_list",
        "catalog:department_detail",
        "catalog:level_detail",
        "catalog:region_detail",
        "catalog:item_detail",
        "catalog:item_version",
        "catalog:item_places",
        "catalog:region_remember",
        "search:results",
        "search:suggest",
        "search:region_set",
        # How to reach the 12345 hotline, where a search that found nothing points.
        "hotline:ask",
        # A citizen follows a 12345 work order by its number and the phone they gave.
        "hotline:track",
        "ratings:rate",
        # Anyone may look for a time; booking it asks a citizen to sign in.
        "appointments:book",
        # Signed out, the confirmation leads to the citizen sign-in and back to the choice.
        "appointments:confirm",
        # A case is followed by its number and the applicant's phone (no personal data shown).
        "cases:track",
        # A hall's call board shows numbers and windows only; a visitor follows their ticket
        # by its unguessable token.
        "hall:board",
        "hall:ticket_status",
        "hall:ticket_withdraw",
    }
)

# Pages a citizen reaches (URL names, or a whole namespace as "name:"): signed out, they lead
# to the citizen sign-in (password or SMS code) and back, never to the staff sign-in.
CITIZEN_URL_NAMES: frozenset[str] = frozenset(
    {"appointments:", "portal:account", "licences:wallet", "licences:wallet_licence"}
)


def is_citizen_page(view_name: str) -> bool:
    namespace = view_name.rpartition(":")[0] + ":"
    return view_name in CITIZEN_URL_NAMES or namespace in CITIZEN_URL_NAMES


# Path prefixes that authenticate by other means (the API checks its own tokens/sessions
# per operation, Open311 its partners' keys on posting; static files are public assets).
PUBLIC_PATH_PREFIXES: tuple[str, ...] = ("/static/", "/api/", "/admin/", "/open311/")

# API operations open to anonymous callers, as (method, path). Every other operation
# declares an authentication; the test that walks the API checks both.
PUBLIC_API_OPERATIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/api/v1/identity/signin/sms-code"),
        # A partner channel exchanges the code for the citizen's token: the code is the proof.
        ("POST", "/api/v1/identity/signin/token"),
        ("GET", "/api/v1/catalog/items"),
        ("GET", "/api/v1/catalog/items/{item_key}"),
        ("GET", "/api/v1/catalog/items/{item_key}/versions/{version}"),
        ("GET", "/api/v1/catalog/departments"),
        ("GET", "/api/v1/catalog/departments/{code}"),
        ("GET", "/api/v1/catalog/themes"),
        ("GET", "/api/v1/catalog/themes/{code}"),
        ("GET", "/api/v1/catalog/counts"),
        ("GET", "/api/v1/catalog/hall-categories"),
        ("GET", "/api/v1/catalog/search"),
        ("GET", "/api/v1/catalog/search/suggest"),
        # A visitor rates a finished visit by its ticket's unguessable token.
        ("GET", "/api/v1/hall/status/{token}"),
        ("POST", "/api/v1/hall/status/{token}/withdraw"),
        ("GET", "/api/v1/ratings/reasons"),
        ("GET", "/api/v1/ratings/visits/{token}"),
        ("POST", "/api/v1/ratings/visits/{token}"),
        # A case is tracked by its number and the applicant's phone; the calendar is public.
        ("POST", "/api/v1/cases/track"),
        ("GET", "/api/v1/calendar/due-date"),
        # Anyone may check an e-licence; the answer shows only what its holder disclosed.
        ("POST", "/api/v1/licences/verify"),
    }
)
