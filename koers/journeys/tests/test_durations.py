"""Durations as people write them, business days included, and where business days may go."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from koers.journeys.definition import DefinitionError, parse_definition
from koers.journeys.durations import BusinessDays, format_duration, parse_duration, parse_span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 werkdagen", BusinessDays(2)),
        ("1 werkdag", BusinessDays(1)),
        ("2 business days", BusinessDays(2)),
        ("1 Business Day", BusinessDays(1)),
        ("3  working   days", BusinessDays(3)),
        ("24 hours", timedelta(hours=24)),
        ("7 dagen", timedelta(days=7)),
        ("2 weken", timedelta(weeks=2)),
    ],
)
def test_a_span_is_a_length_of_time_or_a_number_of_business_days(text: str, expected: Any) -> None:
    assert parse_span(text) == expected


@pytest.mark.parametrize("text", ["2 werkdagen", "1 werkdag", "2 business days", "3 weeks"])
def test_business_days_are_written_back_as_they_were_written(text: str) -> None:
    assert format_duration(parse_span(text)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(hours=24), "1 day"),
        (timedelta(days=7), "1 week"),
        (timedelta(hours=36), "36 hours"),
        (timedelta(minutes=90), "90 minutes"),
        (BusinessDays(2), "2 business days"),
    ],
)
def test_a_formatted_span_reads_back_as_the_same_span(value: Any, text: str) -> None:
    assert format_duration(value) == text
    assert parse_span(text) == value


def test_business_days_are_the_same_however_they_were_spelled() -> None:
    assert parse_span("2 werkdagen") == parse_span("2 Business Days")
    assert format_duration(parse_span("2 Business Days")) == "2 business days"


def test_zero_business_days_and_unknown_units_are_refused_in_dutch() -> None:
    with pytest.raises(ValueError) as zero:
        parse_span("0 werkdagen")
    with pytest.raises(ValueError) as unknown:
        parse_span("2 werkweken")

    assert str(zero.value) == "'0 werkdagen': schrijf minstens 1 werkdag"
    assert str(unknown.value) == (
        "'2 werkweken' is geen duur; schrijf een geheel aantal en een eenheid, bijvoorbeeld "
        "'24 hours', '7 days' of '2 werkdagen' (ook: uur, dagen, weken, business days)"
    )


def test_a_plain_duration_refuses_business_days() -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration("2 werkdagen")

    assert str(caught.value) == (
        "'2 werkdagen': werkdagen kunnen hier niet (alleen bij een deadline, een wachttijd of "
        "een time-out); schrijf een duur in uren, dagen of weken"
    )


def journey(*steps: dict[str, Any], **trigger: Any) -> dict[str, Any]:
    return {
        "key": "test",
        "name": "Test",
        "phase": "welkom",
        "trigger": {"event": "gift.received", **trigger},
        "steps": list(steps),
    }


CALL = {"kind": "action", "channel": "phone", "nature": "service", "content": {"script": "Bel"}}


def test_deadlines_waits_and_timeouts_may_be_business_days() -> None:
    definition = parse_definition(
        journey(
            {"key": "bel", **CALL, "map": {"deadline": "2 werkdagen"}},
            {"key": "wacht", "kind": "wait", "for": "1 werkdag"},
            {"key": "sinds", "kind": "wait", "since_entry": "3 business days"},
            {"key": "uitkomst", "kind": "wait_for_event", "event": "call.outcome",
             "timeout": "5 werkdagen", "on_timeout": "einde"},
            {"key": "einde", "kind": "exit"},
        )
    )  # fmt: skip

    bel, wacht, sinds, uitkomst, _ = definition.steps
    assert bel.deadline == BusinessDays(2)
    assert wacht.settings == {"mode": "for", "seconds": 86400, "business_days": 1}
    assert sinds.settings == {"mode": "since_entry", "seconds": 259200, "business_days": 3}
    assert uitkomst.settings == {
        "event": "call.outcome", "where": "", "seconds": 432000, "business_days": 5,
        "on_timeout": "einde", "from": "step",
    }  # fmt: skip


def test_a_trigger_max_age_in_business_days_is_refused_naming_the_field() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(journey({"key": "bel", **CALL}, max_age="2 werkdagen"))

    assert caught.value.problems == [
        "trigger.max_age: '2 werkdagen': werkdagen kunnen hier niet (alleen bij een deadline, "
        "een wachttijd of een time-out); schrijf een duur in uren, dagen of weken"
    ]
