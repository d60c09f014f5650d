"""The per-client limit of the answer pages: counted per client behind the proxy, in Redis
so all web processes share it, and on the thanks page too."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from ipaddress import ip_network
from typing import Any

import pytest
import time_machine
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings

from koers.feedback.models import Instrument
from koers.feedback.tests.test_answer_pages import NOW, invitation_for, nps, url
from koers.feedback.tokens import token_for
from koers.web.limits import rate_key

pytestmark = pytest.mark.django_db
REDIS = ("127.0.0.1", 6379)
__all__ = ["nps"]  # the fixture, used by name


def _redis_missing() -> str | None:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return None
    except OSError:
        return f"no Redis server answers on {REDIS[0]}:{REDIS[1]}"


@pytest.fixture
def redis_cache() -> Iterator[dict[str, Any]]:
    """The local Redis as the default cache, under a key prefix of this test's own."""
    reason = _redis_missing()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the shared rate limit cannot be tested in CI: {reason}")
        pytest.skip(f"NOT RUN: {reason}")
    config = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://{REDIS[0]}:{REDIS[1]}/15",
        "KEY_PREFIX": f"koers-test-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": config}):
        yield config
        caches["default"].clear()


@time_machine.travel(NOW, tick=False)
def test_two_hundred_requests_counted_in_redis_let_sixty_through(
    nps: Instrument, redis_cache: dict[str, Any]
) -> None:
    invitation = invitation_for("1", nps)
    client = Client(REMOTE_ADDR="203.0.113.7")

    # Redis expires the count on its own clock, not the frozen one: the requests must fit in
    # its two minutes even on a busy machine, so they are a few hundred, not thousands.
    codes = [client.get(url(invitation)).status_code for _ in range(200)]

    assert codes.count(200) == 60 and codes.count(429) == 140
    assert Client(REMOTE_ADDR="203.0.113.8").get(url(invitation)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_another_web_process_sees_the_same_count(
    nps: Instrument, redis_cache: dict[str, Any]
) -> None:
    """A second process's cache (its own connection) continues the first one's count."""
    invitation = invitation_for("1", nps)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(59):
        client.get(url(invitation))
    params = {key: value for key, value in redis_cache.items() if key != "LOCATION"}
    other = RedisCache(str(redis_cache["LOCATION"]), params)

    assert other.get(rate_key("203.0.113.7", NOW)) == 59
    assert client.get(url(invitation)).status_code == 200  # the 60th
    assert client.get(url(invitation)).status_code == 429  # the 61st


def test_a_cache_address_that_is_not_redis_is_refused() -> None:
    env = {**os.environ, "KOERS_CACHE_URL": "memcached://127.0.0.1:11211"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "koers.settings"},
        capture_output=True,
        text=True,
    )

    assert done.returncode != 0
    assert "KOERS_CACHE_URL must be a Redis address such as redis://127.0.0.1:6379/0" in done.stderr


@time_machine.travel(NOW, tick=False)
def test_the_page_still_answers_when_the_cache_is_down(
    nps: Instrument, caplog: pytest.LogCaptureFixture
) -> None:
    invitation = invitation_for("1", nps)
    nothing_there = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
    with override_settings(CACHES={"default": nothing_there}):
        page = Client(REMOTE_ADDR="203.0.113.7").get(url(invitation), {"score": "9"})

    assert page.status_code == 200 and "Versturen" in page.content.decode()
    assert "rate limit not counted: the cache did not answer" in caplog.text


@pytest.fixture
def counted() -> Iterator[None]:
    """The process's own cache, empty, as one web process without Redis counts."""
    cache.clear()
    yield
    cache.clear()


PROXY = "10.0.0.5"


@time_machine.travel(NOW, tick=False)
@override_settings(KOERS_TRUSTED_PROXIES=(ip_network(PROXY),))
def test_behind_the_trusted_proxy_each_client_has_its_own_sixty(
    nps: Instrument, counted: None
) -> None:
    invitation = invitation_for("1", nps)
    anna = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    bram = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")

    annas = [anna.get(url(invitation)).status_code for _ in range(61)]

    assert annas.count(200) == 60 and annas[-1] == 429
    assert bram.get(url(invitation)).status_code == 200


@time_machine.travel(NOW, tick=False)
@override_settings(KOERS_TRUSTED_PROXIES=(ip_network(PROXY),))
def test_a_client_cannot_escape_the_limit_by_writing_the_header_itself(
    nps: Instrument, counted: None
) -> None:
    invitation = invitation_for("1", nps)
    via_proxy = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n % 250}, 198.51.100.1").get(
            url(invitation)
        )
        for n in range(61)
    ]
    direct = [
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").get(url(invitation))
        for n in range(61)
    ]

    assert [c.status_code for c in via_proxy].count(429) == 1
    assert [c.status_code for c in direct].count(429) == 1


@time_machine.travel(NOW, tick=False)
def test_the_thanks_page_counts_too(nps: Instrument, counted: None) -> None:
    invitation = invitation_for("1", nps)
    thanks = f"/a/{token_for(invitation.pk, invitation.code)}/bedankt/"
    client = Client(REMOTE_ADDR="203.0.113.7")

    codes = [client.get(thanks).status_code for _ in range(61)]

    assert codes.count(200) == 60 and codes[-1] == 429
    assert "Even geduld" in client.get(thanks).content.decode()


def test_a_trusted_proxy_that_is_not_an_address_is_refused() -> None:
    env = {**os.environ, "KOERS_TRUSTED_PROXIES": "10.0.0.5, proxy.example.org"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )

    assert done.returncode != 0
    assert (
        "KOERS_TRUSTED_PROXIES: 'proxy.example.org' is not an IP address or network"
        " (such as 10.0.0.0/8)" in done.stderr
    )
