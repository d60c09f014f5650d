"""Fixtures shared by every app's tests."""

from __future__ import annotations

import email
import os
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _missing_browser_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    reason = _missing_browser_reason()
    if reason is not None:
        terminalreporter.write_line(f"Browser tests were not run: {reason}", yellow=True, bold=True)


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests store screenshots and other files a person may want to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright. Never downloads a browser."""
    reason = _missing_browser_reason()
    if reason is not None:
        # In CI a missing browser is a failure, never a silent skip.
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser test cannot run in CI: {reason}")
        pytest.skip(f"NOT RUN: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


# The password the browser tests give their users.
PASSWORD = "geheim-wachtwoord-1"


def log_in(page: Any, live_server: Any, username: str, path: str = "/relaties/") -> None:
    """Open `path`, log in on the page it redirects to, and wait to be back on `path`."""
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}{path}")


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def pytest_configure(config: pytest.Config) -> None:
    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread
    # with a running loop unless told that this is the test process.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Background jobs run at once, in the process that queues them, so a page test sees
    their result. The tests that use `queued_tasks` run them through the database and the
    real worker instead."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def queued_tasks(settings: Any) -> Any:
    """Background jobs queued in the database, as in production; call the returned function
    to let `koers db_worker` run everything queued, then stop."""
    from django.core.management import call_command

    settings.TASKS = DATABASE_TASKS

    def run_worker() -> None:
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)

    return run_worker


@pytest.fixture
def seeded(django_db_blocker: Any) -> None:
    """Rows that data migrations create (roles, levels, preset groups).

    A transactional test (a live server) flushes the database afterwards, removing them;
    running the same idempotent migration functions again puts them back.
    """
    from importlib import import_module

    from django.apps import apps

    with django_db_blocker.unblock():
        for module, function in [
            ("koers.groups.migrations.0002_default_levels", "add_levels"),
            ("koers.groups.migrations.0003_preset_groups", "add_presets"),
            ("koers.groups.migrations.0004_lapsing_groups", "add_presets"),
            ("koers.web.migrations.0001_roles", "add_roles"),
            ("koers.journeys.migrations.0002_phases", "add_phases"),
            ("koers.touchpoints.migrations.0002_ceilings", "add_ceilings"),
            ("koers.touchpoints.migrations.0006_appreciation_ceiling", "add_ceiling"),
            ("koers.feedback.migrations.0002_default_instruments", "add"),
        ]:
            getattr(import_module(module), function)(apps, None)


@pytest.fixture
def quiet_channels(settings: Any, tmp_path: Path) -> None:
    """E-mail into Django's outbox, letters and cards into a temporary folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KOERS_PRINT_DIR = tmp_path
    settings.KOERS_SMS_DIR = tmp_path / "sms"


@pytest.fixture
def login(db: None) -> Any:
    """A client logged in as a user with the given role ("" for a user without a role)."""
    from django.contrib.auth.models import Group as Role
    from django.contrib.auth.models import User
    from django.test import Client

    def make(role: str) -> Client:
        user = User.objects.create_user(username=f"{role or 'geen'}-user", password="x")
        if role:
            user.groups.add(Role.objects.get(name=role))
        client = Client()
        client.force_login(user)
        return client

    return make


class Inbox:
    """What a local SMTP server (aiosmtpd) received, message by message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Any, tmp_path: Path) -> Iterator[Inbox]:
    """A real SMTP server on a free local port; Koers sends its e-mail there."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.KOERS_PRINT_DIR = tmp_path
    settings.KOERS_SMS_DIR = tmp_path / "sms"
    yield inbox
    controller.stop()


# Relations for the pages' tests of web, relations and groups.
RELATIONS_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def relations(db: None) -> dict[str, Any]:
    """Three people and one organisation; facts computed for all but the organisation."""
    from koers.giving.models import Gift, Mandate, Storno
    from koers.groups.facts import refresh_facts
    from koers.relations.actions import give_consent, record_event
    from koers.relations.choices import (
        ContactChannel,
        EventKind,
        EventSource,
        LegalBasis,
        RelationKind,
    )
    from koers.relations.models import Relation

    anna = Relation.objects.create(
        external_id="1001", first_name="Anna", last_name="Jansen", city="Utrecht"
    )
    bert = Relation.objects.create(
        external_id="1002", first_name="Bert", infix="de", last_name="Vries", city="Breda"
    )
    cor = Relation.objects.create(
        external_id="1003", first_name="Cor", last_name="Smit", city="Utrecht"
    )
    Gift.objects.create(relation=anna, received_on=date(2026, 6, 1), amount_cents=123456)
    mandate = Mandate.objects.create(
        reference="M1",
        relation=bert,
        amount_cents=1000,
        frequency="monthly",
        start_date=date(2025, 1, 1),
    )
    Storno.objects.create(
        mandate=mandate, occurred_on=date(2026, 3, 2), amount_cents=1000, reason="MD06"
    )
    give_consent(
        anna,
        ContactChannel.EMAIL,
        LegalBasis.CONSENT,
        given_at=datetime(2025, 4, 1, 10, 0, tzinfo=UTC),
        source=EventSource.IMPORT,
        origin="Petitie",
    )
    record_event(
        anna,
        EventKind.GIFT_RECEIVED,
        datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        EventSource.IMPORT,
        {"amount_cents": 123456, "campaign": "Zomeractie"},
    )
    refresh_facts(RELATIONS_NOW)
    kramer = Relation.objects.create(
        external_id="1004",
        kind=RelationKind.ORGANISATION,
        organisation_name="Bakkerij Kramer",
        city="Amsterdam",
    )
    return {"anna": anna, "bert": bert, "cor": cor, "kramer": kramer}
