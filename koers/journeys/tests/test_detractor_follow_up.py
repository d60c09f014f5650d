"""The detractor follow-up from the library: an NPS of 6 or less, and the service calls back
within two business days. Also business days in waits and time-outs of other journeys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml

from koers.channels.content import render
from koers.clock.tick import run_once
from koers.journeys import actions
from koers.journeys.actions import LIBRARY
from koers.journeys.definition import parse_definition
from koers.journeys.engine import tick
from koers.journeys.models import Enrollment, Journey
from koers.journeys.report import journey_map
from koers.journeys.tests.conftest import donor, local
from koers.relations.actions import record_event
from koers.relations.choices import EventKind, EventSource
from koers.relations.models import Relation
from koers.touchpoints.actions import complete_task, record_call_outcome
from koers.touchpoints.choices import CallOutcome
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

KEY = "nps-criticaster-nabellen"


def answer_nps(relation: Relation, score: int, at: datetime, comment: str = "") -> None:
    """A confirmed relational NPS answer, as the feedback app records it."""
    band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
    data = {"instrument": "nps-relatie", "kind": "nps", "scope": "relational", "score": score,
            "band": band, "touchpoint": None, "channel": "email", "comment": comment}  # fmt: skip
    record_event(relation, EventKind.SURVEY_ANSWERED, at, EventSource.WEB, data)


@pytest.fixture
def installed(seeded: None, quiet_channels: None) -> None:
    actions.install(KEY)


def planned() -> list[tuple[str, str, str, str, str, datetime | None]]:
    rows = Touchpoint.objects.select_related("relation").order_by("relation__external_id", "id")
    return [
        (t.relation.external_id, t.step, t.channel, t.nature, t.status, t.deadline) for t in rows
    ]


def test_every_library_template_is_a_valid_journey() -> None:
    for path in sorted(LIBRARY.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert parse_definition(data).key == path.stem


def test_a_detractor_on_friday_afternoon_is_called_by_the_end_of_tuesday(installed: None) -> None:
    anna = donor("A1", "Anna")
    answer_nps(anna, 3, local(2026, 3, 6, 16), comment="Ik hoor nooit wat er met mijn geld gebeurt")

    tick(local(2026, 3, 6, 16, 5))

    assert planned() == [
        ("A1", "service-belt", "phone", "service", "planned", local(2026, 3, 10, 17)),
    ]  # fmt: skip
    call = Touchpoint.objects.get()
    assert render(call, "script") == (
        "Anna Jansen gaf ons een 3 op de vraag of hij of zij Stichting Koers\n"
        'zou aanbevelen. Toelichting: "Ik hoor nooit wat er met mijn geld gebeurt".\n'
        "Bedank voor de eerlijke reactie, vraag wat er beter kan en luister. Los op wat je\n"
        "kunt oplossen en spreek af wat er verder gebeurt. Noteer de kern van het gesprek."
    )
    # The call's outcome is awaited for five business days: up to Friday 13 March, 17:00.
    waiting = Enrollment.objects.get()
    assert (waiting.step, waiting.due_at) == ("gesprek", local(2026, 3, 13, 17))


def test_a_score_of_seven_or_more_starts_nothing(installed: None) -> None:
    answer_nps(donor("B2", "Bert"), 8, local(2026, 3, 6, 16), comment="Prima")
    answer_nps(donor("C3", "Carla"), 7, local(2026, 3, 6, 16))

    tick(local(2026, 3, 6, 16, 5))

    assert Enrollment.objects.count() == 0
    assert Touchpoint.objects.count() == 0


def test_a_thumbs_down_starts_nothing(installed: None) -> None:
    """A thumb down is stored as score 0, but has no band: it is no NPS detractor."""
    data = {"instrument": "duim", "kind": "thumbs", "scope": "transactional", "score": 0,
            "touchpoint": None, "channel": "email", "comment": "Onduidelijk"}  # fmt: skip
    record_event(donor("D4", "Dirk"), EventKind.SURVEY_ANSWERED, local(2026, 3, 6, 16),
                 EventSource.WEB, data)  # fmt: skip

    tick(local(2026, 3, 6, 16, 5))

    assert Enrollment.objects.count() == 0


def test_a_detractor_without_phone_consent_becomes_a_task_for_the_callers(installed: None) -> None:
    answer_nps(donor("D4", "Dirk", channels=("email", "post")), 5, local(2026, 3, 9, 10))

    tick(local(2026, 3, 9, 10, 5))

    assert planned() == [
        ("D4", "service-taak", "task", "service", "planned", local(2026, 3, 11, 17)),
    ]  # fmt: skip
    assert Touchpoint.objects.get().role == "beller"


def test_entries_on_several_days_get_each_their_own_deadline_in_one_tick(installed: None) -> None:
    """Koningsdag is Monday 27 April 2026; the days are local days, not UTC days."""
    entries = {
        "A1": local(2026, 4, 23, 10),  # Thursday: Friday and Tuesday
        "B2": local(2026, 4, 24, 0, 30),  # Friday just after midnight (Thursday in UTC)
        "C3": local(2026, 4, 25, 12),  # Saturday
        "D4": local(2026, 4, 26, 9),  # Sunday
    }
    for number, at in entries.items():
        answer_nps(donor(number, f"R{number}"), 2, at)

    tick(local(2026, 4, 26, 13))

    assert {row[0]: row[5] for row in planned()} == {
        "A1": local(2026, 4, 28, 17),
        "B2": local(2026, 4, 29, 17),
        "C3": local(2026, 4, 29, 17),
        "D4": local(2026, 4, 29, 17),
    }


def test_over_easter_and_the_change_to_summer_time(installed: None) -> None:
    answer_nps(donor("A1", "Anna"), 0, local(2026, 3, 27, 16))  # Friday, winter time

    tick(local(2026, 3, 27, 16, 5))

    call = Touchpoint.objects.get()
    assert call.deadline == datetime(2026, 3, 31, 15, tzinfo=UTC)  # Tuesday 17:00 summer time
    # Five business days skip Goede Vrijdag (3 April) and Tweede Paasdag (6 April).
    assert Enrollment.objects.get().due_at == local(2026, 4, 7, 17)


def test_not_reached_in_five_business_days_gets_an_email_at_their_close(installed: None) -> None:
    answer_nps(donor("A1", "Anna"), 4, local(2026, 3, 6, 16))
    tick(local(2026, 3, 6, 16, 5))

    tick(local(2026, 3, 13, 16, 59))
    assert [row[1] for row in planned()] == ["service-belt"]

    tick(local(2026, 3, 13, 17))
    assert [row[1] for row in planned()] == ["service-belt", "niet-bereikt"]
    assert Enrollment.objects.get().state == "done"


def test_reached_ends_the_follow_up_without_an_email(installed: None) -> None:
    anna = donor("A1", "Anna")
    answer_nps(anna, 4, local(2026, 3, 6, 16))
    tick(local(2026, 3, 6, 16, 5))
    Touchpoint.objects.update(status="open")  # released by dispatch on Monday morning
    call = Touchpoint.objects.get(step="service-belt")
    record_call_outcome(call, CallOutcome.REACHED, at=local(2026, 3, 9, 11))

    tick(local(2026, 3, 9, 11, 5))
    tick(local(2026, 3, 16, 9))

    assert [row[1] for row in planned()] == ["service-belt"]
    assert Enrollment.objects.get().state == "done"


def test_a_call_from_another_journey_does_not_count_as_the_service_call(
    installed: None,
) -> None:
    anna = donor("A1", "Anna")
    answer_nps(anna, 4, local(2026, 3, 6, 16))
    tick(local(2026, 3, 6, 16, 5))
    other = {"outcome": "reached", "source": "journey:welkom-structureel:bel-na-een-maand",
             "step": "bel-na-een-maand", "channel": "phone"}  # fmt: skip
    record_event(anna, EventKind.CALL_OUTCOME, local(2026, 3, 9, 11), EventSource.WEB, other)

    tick(local(2026, 3, 9, 11, 5))
    tick(local(2026, 3, 13, 17))

    assert [row[1] for row in planned()] == ["service-belt", "niet-bereikt"]


def test_one_follow_up_per_calendar_month(installed: None) -> None:
    anna = donor("A1", "Anna")
    answer_nps(anna, 3, local(2026, 3, 2, 10))
    tick(local(2026, 3, 2, 10, 5))
    answer_nps(anna, 2, local(2026, 3, 20, 10))
    tick(local(2026, 3, 20, 10, 5))

    assert Enrollment.objects.count() == 1
    assert Touchpoint.objects.filter(step="service-belt").count() == 1


def test_the_export_keeps_business_days_as_written(installed: None) -> None:
    exported = yaml.safe_load(actions.export(Journey.objects.get(key=KEY)))

    assert exported["steps"][1]["map"]["deadline"] == "2 werkdagen"
    assert exported["steps"][2]["timeout"] == "5 werkdagen"


GIFT = {"amount_cents": 2500, "kind": "one-off"}


def gift_journey(wait: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": "wachten-op-werkdagen", "name": "Wachten op werkdagen", "phase": "bedanken",
        "status": "active", "trigger": {"event": "gift.received", "reentry": "always"},
        "steps": [
            {"key": "wacht", "kind": "wait", **wait},
            {"key": "mail", "kind": "action", "channel": "email", "nature": "thank",
             "content": {"subject": "Dank", "body": "Dank u wel"}},
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("wait", "wakes"),
    [
        ({"for": "1 werkdag"}, local(2026, 3, 9, 17)),
        ({"since_entry": "2 werkdagen"}, local(2026, 3, 10, 17)),
    ],
)
def test_a_wait_in_business_days_ends_at_the_close_of_the_last_one(
    seeded: None, quiet_channels: None, wait: dict[str, Any], wakes: datetime
) -> None:
    actions.publish(gift_journey(wait))
    record_event(donor("A1", "Anna"), EventKind.GIFT_RECEIVED, local(2026, 3, 6, 10),
                 EventSource.IMPORT, GIFT)  # fmt: skip

    tick(local(2026, 3, 6, 10, 5))
    assert Enrollment.objects.get().due_at == wakes
    tick(wakes - timedelta(minutes=1))
    assert Touchpoint.objects.count() == 0

    tick(wakes)
    assert [row[1] for row in planned()] == ["mail"]


def test_the_call_list_shows_the_call_with_its_deadline_and_the_comment(
    installed: None, login: Any
) -> None:
    answer_nps(donor("A1", "Anna"), 3, local(2026, 3, 6, 16), comment="Te veel post")
    tick(local(2026, 3, 6, 16, 5))
    Touchpoint.objects.update(status="open")  # released by dispatch on Monday morning

    page = login("beller").get("/bellijst/").content.decode()
    journey_map = login("kijker").get(f"/klantreizen/{KEY}/")

    assert "uiterlijk 10-03-2026 17:00" in page
    assert "Toelichting: &quot;Te veel post&quot;" in page
    assert journey_map.status_code == 200
    shown = journey_map.content.decode()
    assert "2 werkdagen" in shown and "hoogstens 5 werkdagen" in shown


def test_a_detractor_has_not_finished_while_the_service_task_is_open(installed: None) -> None:
    """The task path ends the journey as soon as the task is planned; the relation has not
    finished the follow-up until the service has done it."""
    answer_nps(donor("D4", "Dirk", channels=("email", "post")), 5, local(2026, 3, 9, 10))
    run_once(local(2026, 3, 9, 10, 5))  # the tick plans the task, dispatch lists it
    journey = Journey.objects.get(key=KEY)
    definition = parse_definition(journey.current.definition)  # type: ignore[union-attr]

    before = journey_map(journey, definition, local(2026, 3, 9, 11))
    complete_task(Touchpoint.objects.get(), done=True, at=local(2026, 3, 10, 9))
    after = journey_map(journey, definition, local(2026, 3, 10, 10))

    assert Enrollment.objects.get().state == "done"  # the engine's own record
    assert (before.active, before.done, before.last_contact_open) == (0, 0, 1)
    assert (after.active, after.done, after.last_contact_open) == (0, 1, 0)
