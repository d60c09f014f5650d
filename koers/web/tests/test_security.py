"""Logging in as an attacker would: guessing passwords, weak passwords, sessions left open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from koers.demo.management.commands.demo import DEMO_PASSWORD
from koers.web.roles import ROLES

PASSWORD = "geheim-wachtwoord-1"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sanne(db: None) -> User:
    return User.objects.create_user(username="sanne", password=PASSWORD)


def attempt(client: Client, password: str, username: str = "sanne") -> Any:
    return client.post("/login/", {"username": username, "password": password})


def test_fifty_wrong_passwords_lock_the_name_and_the_right_one_then_does_not_log_in(
    sanne: User,
) -> None:
    client = Client()
    for _ in range(50):
        attempt(client, "fout")

    right = attempt(client, PASSWORD)

    assert right.status_code == 200
    assert (
        "Te veel mislukte pogingen om in te loggen. Probeer het over 15 minuten opnieuw."
        in right.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(sanne: User) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "fout")

    right = attempt(client, PASSWORD)

    assert (right.status_code, right["Location"]) == (302, "/")


def test_the_fifth_wrong_password_locks_until_the_lockout_has_passed(sanne: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            attempt(client, "fout")
        locked = attempt(client, PASSWORD)
        clock.shift(timedelta(minutes=16))
        later = attempt(client, PASSWORD)

    assert locked.status_code == 200 and "Te veel mislukte pogingen" in locked.content.decode()
    assert (later.status_code, later["Location"]) == (302, "/")


def test_the_lockout_covers_the_admin_login_too(sanne: User) -> None:
    sanne.is_staff = True
    sanne.save()
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "sanne", "password": "fout"})

    right = client.post("/admin/login/", {"username": "sanne", "password": PASSWORD})

    assert right.status_code == 200
    assert "_auth_user_id" not in client.session


def test_one_client_guessing_many_names_is_locked_for_every_name(sanne: User) -> None:
    client = Client()
    for n in range(20):
        attempt(client, "fout", username=f"naam{n}")

    right = attempt(client, PASSWORD)

    assert "Te veel mislukte pogingen" in right.content.decode()


def test_another_client_is_not_locked_by_a_strangers_guesses(sanne: User) -> None:
    for _ in range(5):
        attempt(Client(REMOTE_ADDR="192.0.2.7"), "fout")

    right = attempt(Client(REMOTE_ADDR="192.0.2.8"), PASSWORD)

    assert (right.status_code, right["Location"]) == (302, "/")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("analist123", "Het wachtwoord lijkt te veel op de gebruikersnaam."),
        ("kort-1", "Dit wachtwoord is te kort. Het moet ten minste 10 tekens bevatten."),
        ("password123", "Dit wachtwoord is te algemeen."),
        ("8264917350", "Dit wachtwoord bevat alleen cijfers."),
    ],
)
def test_a_weak_password_is_refused_with_its_reason(db: None, password: str, message: str) -> None:
    user = User(username="analist")

    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)

    assert message in refused.value.messages


@pytest.mark.parametrize("username", sorted(ROLES))
def test_the_demo_password_is_accepted_for_every_demo_user(db: None, username: str) -> None:
    validate_password(DEMO_PASSWORD, User(username=username))


def test_a_session_ends_after_thirty_idle_minutes(sanne: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(sanne)
        first = client.get("/")
        clock.shift(timedelta(minutes=29))
        busy = client.get("/relaties/")
        clock.shift(timedelta(minutes=31))
        idle = client.get("/relaties/")

    assert first.status_code == 200
    assert busy.status_code == 403  # logged in, without the role: not sent to log in
    assert (idle.status_code, idle["Location"]) == (302, "/login/?next=/relaties/")


def test_a_busy_session_still_ends_after_nine_hours(sanne: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(sanne)
        client.get("/")
        for _ in range(9 * 4):  # a request every quarter of an hour, up to nine hours
            clock.shift(timedelta(minutes=15))
            last = client.get("/relaties/")
        assert last.status_code == 403
        clock.shift(timedelta(minutes=15))
        ended = client.get("/relaties/")

    assert (ended.status_code, ended["Location"]) == (302, "/login/?next=/relaties/")
