"""Which client a request to a public page is counted for, behind trusted proxies or not."""

from __future__ import annotations

from ipaddress import ip_network

from koers.web.limits import client_address

PROXY = ip_network("10.0.0.5/32")
PROXIES = (PROXY, ip_network("192.168.0.0/16"), ip_network("fd00::/8"))


def test_without_trusted_proxies_the_connecting_address_is_the_client() -> None:
    assert client_address("10.0.0.5", "198.51.100.7", ()) == "10.0.0.5"


def test_a_client_that_sends_the_header_itself_is_not_believed() -> None:
    assert client_address("203.0.113.9", "198.51.100.7", PROXIES) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client() -> None:
    assert client_address("10.0.0.5", "198.51.100.7", PROXIES) == "198.51.100.7"


def test_entries_the_client_wrote_before_the_proxy_appended_its_own_are_ignored() -> None:
    """A client sends "X-Forwarded-For: 1.2.3.4" to look like someone else each time; the
    proxy appends the real address, and only that one counts."""
    forwarded = "1.2.3.4, 5.6.7.8, 198.51.100.7"

    assert client_address("10.0.0.5", forwarded, PROXIES) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address() -> None:
    forwarded = "1.2.3.4, 198.51.100.7, 192.168.4.4"

    assert client_address("10.0.0.5", forwarded, PROXIES) == "198.51.100.7"


def test_a_proxy_without_the_header_counts_as_the_client() -> None:
    assert client_address("10.0.0.5", "", PROXIES) == "10.0.0.5"


def test_a_garbled_entry_stops_the_walk_at_the_last_trusted_proxy() -> None:
    assert client_address("10.0.0.5", "198.51.100.7, not-an-address", PROXIES) == "10.0.0.5"


def test_ports_are_left_out() -> None:
    assert client_address("10.0.0.5", "198.51.100.7:51234", PROXIES) == "198.51.100.7"
    assert client_address("10.0.0.5", "[2001:db8::1]:443", PROXIES) == "2001:db8::/64"


def test_an_ipv6_client_is_counted_per_64_network() -> None:
    """One household gets a whole /64 and could take a new address for every request."""
    first = client_address("2001:db8:1:2::1", "", PROXIES)
    second = client_address("2001:db8:1:2:ffff::9", "", PROXIES)

    assert first == second == "2001:db8:1:2::/64"
    assert client_address("fd00::1", "2001:db8:7:7::5", PROXIES) == "2001:db8:7:7::/64"


def test_an_ipv4_address_written_as_ipv6_is_the_same_client() -> None:
    assert client_address("::ffff:203.0.113.9", "", PROXIES) == "203.0.113.9"
    assert client_address("::ffff:10.0.0.5", "198.51.100.7", PROXIES) == "198.51.100.7"


def test_a_missing_or_odd_connecting_address_still_gives_a_client() -> None:
    assert client_address("", "198.51.100.7", PROXIES) == "unknown"
    assert client_address("unix-socket", "198.51.100.7", PROXIES) == "unix-socket"
