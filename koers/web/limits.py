"""The per-client limit of the public pages: survey answers, thanks and unsubscribe links.

A client is the address a request comes from. Behind a reverse proxy every request comes
from the proxy, so for a request from a proxy named in KOERS_TRUSTED_PROXIES the client is
read from X-Forwarded-For instead: each proxy appends the address it was reached from, so
the right-most entry that is not one of our proxies is the one nobody else could write.
Entries further left are the client's own say and are never believed. See docs/web.md.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from koers.env import IPNetwork

log = logging.getLogger(__name__)
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(remote_addr: str, forwarded_for: str, trusted: Sequence[IPNetwork]) -> str:
    """The client a request is counted for: an IPv4 address, or an IPv6 /64 (one household
    or server gets a whole /64, and could otherwise take a fresh address per request)."""
    peer = _address(remote_addr)
    if peer is None:
        return remote_addr.strip()[:64] or "unknown"
    hops = [hop.strip() for hop in forwarded_for.split(",")] if forwarded_for else []
    while _is_trusted(peer, trusted) and hops:
        hop = _address(hops.pop())
        if hop is None:  # a garbled entry: nothing left of it can be believed either
            break
        peer = hop
    return _bucket(peer)


def _address(text: str) -> Address | None:
    """An address as REMOTE_ADDR or a proxy writes it, with or without a port."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":")[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _is_trusted(address: Address, trusted: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in trusted if network.version == address.version)


def _bucket(address: Address) -> str:
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_of(request: HttpRequest) -> str:
    return client_address(
        str(request.META.get("REMOTE_ADDR", "")),
        str(request.META.get("HTTP_X_FORWARDED_FOR", "")),
        settings.KOERS_TRUSTED_PROXIES,
    )


def rate_key(client: str, now: datetime) -> str:
    """The cache key counting a client's requests in this minute."""
    return f"koers:feedback:rate:{client}:{int(now.timestamp() // 60)}"


def too_many(request: HttpRequest) -> bool:
    """Count the request; True when its client made more than KOERS_FEEDBACK_PER_MINUTE
    requests to the public pages this minute (0: no limit)."""
    limit = settings.KOERS_FEEDBACK_PER_MINUTE
    if not limit:
        return False
    key = rate_key(client_of(request), timezone.now())
    try:
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
    except Exception:  # any failure of the cache: the page must still answer
        # A cache that is down (Redis restarting) must not take the public pages with it:
        # for that moment nobody is counted.
        log.warning("rate limit not counted: the cache did not answer", exc_info=True)
        return False
    return count > limit
