"""The per-client limit of the answer pages, counted in Redis so all web processes share it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings

from koers.feedback.models import Instrument
from koers.feedback.tests.test_answer_pages import NOW, invitation_for, nps, url
from koers.feedback.views import rate_key

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
def test_a_thousand_requests_counted_in_redis_let_sixty_through(
    nps: Instrument, redis_cache: dict[str, Any]
) -> None:
    invitation = invitation_for("1", nps)
    client = Client(REMOTE_ADDR="203.0.113.7")

    codes = [client.get(url(invitation)).status_code for _ in range(1000)]

    assert codes.count(200) == 60 and codes.count(429) == 940
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
