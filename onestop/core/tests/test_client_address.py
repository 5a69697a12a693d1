import pytest
from django.core.exceptions import ImproperlyConfigured

from onestop.core.client_address import client_address
from onestop.core.models import AuditEntry

PROXIES = ["10.0.0.0/8", "127.0.0.1"]


def _meta(peer: str, forwarded: str | None = None) -> dict[str, str]:
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return meta


def test_without_trusted_proxies_the_header_is_ignored(settings):
    # given
    settings.ONESTOP_TRUSTED_PROXIES = []

    # when
    address = client_address(_meta("203.0.113.9", "1.2.3.4"))

    # then
    assert address == "203.0.113.9"


def test_a_request_not_from_a_trusted_proxy_keeps_its_peer_address(settings):
    # given
    settings.ONESTOP_TRUSTED_PROXIES = PROXIES

    # when
    address = client_address(_meta("198.51.100.7", "1.2.3.4"))

    # then: the client talked to us directly; what it says about itself is not believed
    assert address == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        # one proxy appended the real client
        ("198.51.100.20", "198.51.100.20"),
        # the client forged an entry to the left of the one the proxy wrote
        ("6.6.6.6, 198.51.100.20", "198.51.100.20"),
        # two proxies of ours; the rightmost untrusted hop is the client
        ("6.6.6.6, 198.51.100.20, 10.1.2.3", "198.51.100.20"),
        # a port and IPv6 brackets are dropped; an IPv4-mapped IPv6 address reads as IPv4
        ("198.51.100.20:50123", "198.51.100.20"),
        ("[2001:db8::5]:443", "2001:db8::5"),
        ("::ffff:198.51.100.20", "198.51.100.20"),
        # junk where a proxy's entry should be: the last hop we can vouch for
        ("198.51.100.20, not-an-address", "10.0.0.1"),
        # only our own proxies in the chain: the leftmost of them
        ("10.9.9.9, 10.1.1.1", "10.9.9.9"),
        ("", "10.0.0.1"),
    ],
)
def test_the_rightmost_untrusted_hop_is_the_client(settings, forwarded, expected):
    # given
    settings.ONESTOP_TRUSTED_PROXIES = PROXIES

    # when
    address = client_address(_meta("10.0.0.1", forwarded))

    # then
    assert address == expected


def test_a_comma_separated_setting_is_read_too(settings):
    # given: as the environment gives it
    settings.ONESTOP_TRUSTED_PROXIES = "10.0.0.0/8, 127.0.0.1"

    # when
    address = client_address(_meta("127.0.0.1", "6.6.6.6, 198.51.100.20"))

    # then
    assert address == "198.51.100.20"


def test_a_malformed_proxy_setting_is_refused(settings):
    # given
    settings.ONESTOP_TRUSTED_PROXIES = ["10.0.0.0/8", "the load balancer"]

    # when / then
    with pytest.raises(ImproperlyConfigured):
        client_address(_meta("10.0.0.1", "198.51.100.20"))


@pytest.mark.django_db
def test_a_forged_header_neither_throttles_nor_signs_the_audit_log_as_someone_else(
    client, settings
):
    # given: one proxy of ours in front; an attacker varies the leftmost entry every time
    settings.ONESTOP_TRUSTED_PROXIES = ["10.0.0.1"]
    settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS = 3

    # when
    statuses = [
        client.post(
            "/account/login/",
            {"username": f"nobody{n}", "password": "wrong-password-1"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.66",
        ).status_code
        for n in range(8)
    ]

    # then: the real address is counted, so its attempts stop; the audit log names it
    assert 429 in statuses
    ips = set(AuditEntry.objects.filter(action="signin.failed").values_list("ip", flat=True))
    assert ips == {"198.51.100.66"}
