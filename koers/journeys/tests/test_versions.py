"""A touchpoint says what its step said in the journey version its relation travels."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from koers.journeys import actions
from koers.journeys.engine import tick
from koers.journeys.tests.conftest import donor, local
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def thanks(subject: str) -> dict[str, Any]:
    return {
        "key": "welkom-kort",
        "name": "Kort welkom",
        "phase": "welkom",
        "status": "active",
        "trigger": {"event": "mandate.started", "reentry": "once"},
        "steps": [
            {"key": "wacht", "kind": "wait", "for": "1 day"},
            {
                "key": "mail",
                "kind": "action",
                "channel": "email",
                "nature": "thank",
                "content": {"subject": subject, "body": "{{ aanhef }} Dank u wel."},
            },
            {"key": "taak", "kind": "action", "channel": "task", "nature": "thank",
             "content": {"title": "Kaart", "role": "servicedesk"}},
            {"key": "einde", "kind": "exit"},
        ],
    }  # fmt: skip


def test_relations_on_the_first_version_get_its_text_after_a_second_is_published(
    quiet_channels: None, seeded: None
) -> None:
    actions.publish(thanks("Welkom bij de eerste versie"))
    donor("R1", "Anna", monthly_cents=1000, started=date(2026, 11, 2))
    tick(local(2026, 11, 2, 13))  # Anna enters version 1 and waits a day
    actions.publish(thanks("Welkom bij de tweede versie"))  # she stays on version 1
    donor("R2", "Bram", monthly_cents=1000, started=date(2026, 11, 3))
    tick(local(2026, 11, 3, 13))  # Anna's mail is planned; Bram enters version 2
    tick(local(2026, 11, 4, 13))  # Bram's mail is planned
    dispatch(local(2026, 11, 4, 13))

    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == [
        ("anna@example.org", "Welkom bij de eerste versie"),
        ("bram@example.org", "Welkom bij de tweede versie"),
    ]
    # The text is read from the version, not copied into every touchpoint; the role of a
    # task is kept in its own column, for the task list.
    assert list(Touchpoint.objects.values_list("content", flat=True)) == [{}] * 4
    assert set(Touchpoint.objects.filter(channel="task").values_list("role", flat=True)) == {
        "servicedesk"
    }
