"""The client's address, as far as it can be trusted.

Behind a load balancer every request arrives from the proxy, and the client's address is
in `X-Forwarded-For`. That header is written by whoever sends the request: a client can
put any address in it, and each proxy on the way appends the address it received the
request from. So only the entries that our own proxies appended can be believed. Reading
from the right, each hop that is one of our proxies (`ONESTOP_TRUSTED_PROXIES`, addresses
or networks) vouches for the entry to its left; the first hop that is not ours is the
client. Without trusted proxies the header is ignored and the socket's peer is the client.

Sign-in throttling by address and the audit log's `ip` both read this, so a client that
forges the header gains nothing: its forged entries sit left of the real one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"ONESTOP_TRUSTED_PROXIES: {entry!r} is not an address or a network"
            ) from None
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    """The configured proxies (checked once per distinct setting value)."""
    value: Any = getattr(settings, "ONESTOP_TRUSTED_PROXIES", ())
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    return _networks(tuple(value))


def parse_address(text: str) -> Address | None:
    """An address from a header entry or REMOTE_ADDR: brackets and a port are dropped, and
    an IPv4 address mapped into IPv6 is read as IPv4. None when it is not an address."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(meta: Mapping[str, Any]) -> str:
    """The client's address for a request's META: the rightmost hop of `X-Forwarded-For`
    that is not a trusted proxy, when the request came from one; else the peer address."""
    peer_text = str(meta.get("REMOTE_ADDR") or "")
    peer = parse_address(peer_text)
    if peer is None:
        return peer_text[:45]
    networks = trusted_proxies()
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    hops = str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    client = peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy would not write this, so the entry is the client's own
            # invention: the hop that passed it on is the last address we can vouch for.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
