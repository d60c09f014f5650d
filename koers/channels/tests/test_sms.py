"""SMS, a channel added as one module and one line in KOERS_CHANNELS: a journey and a
calendar moment both plan it through the outbox, consent and number decide, and each
message is left once in the hand-over folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from koers.calendar import actions as calendars
from koers.calendar.engine import plan_calendars
from koers.calendar.plan import parse_plan
from koers.groups.facts import refresh_facts
from koers.journeys import actions as journeys
from koers.journeys.engine import tick
from koers.tests.people import donor, local
from koers.touchpoints.choices import SkipReason, Status
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def with_sms(settings: Any) -> None:
    """SMS is switched on the way a charity switches it on: one line in KOERS_CHANNELS."""
    settings.KOERS_CHANNELS = [*settings.KOERS_CHANNELS, "koers.channels.sms.Sms"]


WELCOME = {
    "key": "welkom-sms",
    "name": "Welkom per sms",
    "phase": "welkom",
    "status": "active",
    "trigger": {"event": "mandate.started"},
    "steps": [
        {"key": "sms", "kind": "action", "channel": "sms", "nature": "thank",
         "content": {"body": "Dank u wel, {{ voornaam }}!"}},
    ],
}  # fmt: skip
CHRISTMAS = {
    "key": "sms-kalender",
    "name": "Kalender per sms",
    "lookahead_days": 14,
    "moments": [
        {"key": "kerst", "name": "Kerst", "when": {"date": "12-20"}, "groups": "all",
         "channels": ["sms", "email"], "nature": "appreciate",
         "content": {"body": "Fijne feestdagen, {{ voornaam }}", "subject": "Kerst"}},
    ],
}  # fmt: skip


def handed_over() -> list[dict[str, Any]]:
    folder = Path(settings.KOERS_SMS_DIR)
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def test_a_journey_plans_an_sms_for_whoever_may_get_one_and_it_is_handed_over_once(
    quiet_channels: None, seeded: None
) -> None:
    journeys.publish(WELCOME)
    donor("A1", "Anna", channels=("sms",), monthly_cents=1000, started=date(2026, 11, 2))
    donor("B2", "Bram", channels=("email",), monthly_cents=1000, started=date(2026, 11, 2))

    tick(local(2026, 11, 3))
    dispatch(local(2026, 11, 3))
    dispatch(local(2026, 11, 3))

    rows = Touchpoint.objects.order_by("relation__external_id")
    assert [(t.relation.external_id, t.channel, t.status, t.skip_reason) for t in rows] == [
        ("A1", "sms", Status.SENT, ""),
        ("B2", "sms", Status.SKIPPED, SkipReason.NO_CONSENT),
    ]
    assert handed_over() == [
        {"to": "0612345678", "text": "Dank u wel, Anna!", "key": f"koers-{rows[0].pk}-1"}
    ]


def test_a_calendar_moment_plans_sms_first_and_email_for_who_has_no_sms_consent(
    quiet_channels: None,
) -> None:
    donor("A1", "Anna", channels=("sms",), preferred="sms")
    donor("B2", "Bram", channels=("email",))
    cor = donor("C3", "Cor", channels=("sms",))
    type(cor).objects.filter(pk=cor.pk).update(phone="")  # no number to send to
    refresh_facts(local(2026, 12, 1))
    calendars.set_active(calendars.save_plan(parse_plan(CHRISTMAS)), True)

    plan_calendars(local(2026, 12, 6))

    rows = Touchpoint.objects.order_by("relation__external_id")
    assert [(t.relation.external_id, t.channel, t.status, t.skip_reason) for t in rows] == [
        ("A1", "sms", Status.PLANNED, ""),
        ("B2", "email", Status.PLANNED, ""),
        ("C3", "sms", Status.SKIPPED, SkipReason.NO_ADDRESS),
    ]
