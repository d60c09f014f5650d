"""Reading a journey definition: precise errors for what cannot run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from koers.journeys.definition import EVENT_KINDS, DefinitionError, parse_definition
from koers.journeys.graph import cycles_without_wait, unreachable


def journey(*steps: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "key": "test",
        "name": "Test",
        "phase": "welkom",
        "trigger": {"event": "gift.received"},
        "steps": list(steps),
        **top,
    }


MAIL = {
    "kind": "action",
    "channel": "email",
    "nature": "thank",
    "content": {"subject": "Hoi", "body": "Dank"},
}


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return caught.value.problems


def test_a_valid_definition_reads_into_steps_with_their_next_step() -> None:
    definition = parse_definition(
        journey(
            {"key": "mail", **MAIL},
            {"key": "wacht", "kind": "wait", "for": "2 dagen"},
            {"key": "klaar", "kind": "exit"},
        )
    )

    assert [(s.key, s.kind, s.next) for s in definition.steps] == [
        ("mail", "action", "wacht"), ("wacht", "wait", "klaar"), ("klaar", "exit", None),
    ]  # fmt: skip
    assert definition.steps[1].settings == {"mode": "for", "seconds": 172800}


def test_an_unknown_next_step_is_named_with_a_suggestion() -> None:
    found = problems(
        journey(
            {"key": "mail", **MAIL, "next": "wachtt"},
            {"key": "wacht", "kind": "wait", "for": "1 day"},
        )
    )

    assert found == ["stap 'mail': volgende stap 'wachtt' bestaat niet (bedoelde u 'wacht'?)",
                     "stap 'wacht': is onbereikbaar: geen stap leidt ernaartoe"]  # fmt: skip


def test_an_unreachable_step_is_named() -> None:
    found = problems(journey({"key": "mail", **MAIL, "next": None}, {"key": "vergeten", **MAIL}))

    assert found == ["stap 'vergeten': is onbereikbaar: geen stap leidt ernaartoe"]


def test_a_cycle_without_a_wait_is_refused_and_shown() -> None:
    found = problems(
        journey(
            {
                "key": "keuze",
                "kind": "branch",
                "branches": [{"when": "gifts.count >= 2", "next": "mail"}],
                "else": "einde",
            },
            {"key": "mail", **MAIL, "next": "keuze"},
            {"key": "einde", "kind": "exit"},
        )
    )

    assert found == ["stap 'keuze': kringloop zonder wachtstap: keuze → mail → keuze"]


def test_a_cycle_through_a_wait_is_fine() -> None:
    parse_definition(
        journey(
            {"key": "mail", **MAIL},
            {"key": "wacht", "kind": "wait", "for": "30 days"},
            {
                "key": "keuze",
                "kind": "branch",
                "branches": [{"when": "gifts.count_12m = 0", "next": "mail"}],
                "else": "einde",
            },
            {"key": "einde", "kind": "exit"},
        )
    )


def test_a_branch_without_else_is_refused() -> None:
    found = problems(
        journey(
            {
                "key": "keuze",
                "kind": "branch",
                "branches": [{"when": "mandate.active", "next": "einde"}],
            },
            {"key": "einde", "kind": "exit"},
        )
    )

    assert found == [
        "stap 'keuze': keuze zonder 'else': zeg waar relaties heen gaan als geen tak past"
    ]


def test_an_invalid_rule_gives_the_message_and_position() -> None:
    found = problems(
        journey(
            {
                "key": "keuze",
                "kind": "branch",
                "branches": [{"when": "trigger.amount >= 'veel'", "next": "einde"}],
                "else": "einde",
            },
            {"key": "einde", "kind": "exit"},
        )
    )

    assert found == [
        "stap 'keuze', tak 1: ongeldige regel 'trigger.amount >= 'veel'': 'trigger.amount' is een "
        "bedrag en kan niet vergeleken worden met de tekst 'veel' (teken 19)"
    ]


def test_unknown_kinds_channels_and_fields_are_each_named() -> None:
    found = problems(
        journey(
            {"key": "a", "kind": "actie"},
            {"key": "b", "kind": "action", "channel": "fax", "nature": "thank", "inhoud": {}},
            trigger={"event": "gift.recieved"},
        )
    )

    assert found == [
        "trigger: onbekende gebeurtenis 'gift.recieved' (bedoelde u 'gift.received'?)",
        "stap 'a': onbekende soort 'actie' (bedoelde u 'action'?); kies uit action, branch, exit, split, wait, wait_for_event",
        "stap 'b': onbekend kanaal 'fax'; kies uit email, letter, card, phone, task, webhook",
        "stap 'b': onbekend veld 'inhoud'",
    ]


def test_bad_annotations_and_durations_name_what_is_expected() -> None:
    found = problems(journey({"key": "mail", **MAIL, "map": {"emotion": 3, "deadline": "morgen"}}))

    assert found == [
        "stap 'mail'.map.deadline: 'morgen' is geen duur; schrijf een geheel aantal en een eenheid, "
        "bijvoorbeeld '24 hours', '7 days' of '2 werkdagen' (ook: uur, dagen, weken, business days)",
        "stap 'mail'.map.emotion: verwacht een geheel getal van -2 tot en met 2, niet 3",
    ]


def test_graph_checks_are_plain_functions() -> None:
    edges = {"a": ["b"], "b": ["c", "a"], "c": [], "d": ["c"]}

    assert unreachable("a", edges) == ["d"]
    assert cycles_without_wait(edges, waits=set()) == [["a", "b", "a"]]
    assert cycles_without_wait(edges, waits={"b"}) == []


def test_a_key_the_pages_use_in_their_addresses_is_refused() -> None:
    found = problems(journey({"key": "mail", **MAIL}, key="nieuw"))

    assert found == ["klantreis: de sleutel 'nieuw' is gereserveerd; kies een andere"]


TASK = {
    "kind": "action",
    "channel": "task",
    "nature": "service",
    "content": {"title": "Nagaan", "role": "administrateur"},
}


def test_a_wait_for_an_event_counts_from_the_step_or_from_the_entry() -> None:
    wait = {"kind": "wait_for_event", "event": "gift.received", "on_timeout": "klaar"}
    definition = parse_definition(
        journey(
            {"key": "stap", **wait, "timeout": "7 days"},
            {"key": "instap", **wait, "timeout": "6 weeks", "from": "entry"},
            {"key": "klaar", "kind": "exit"},
        )
    )

    assert [s.settings["from"] for s in definition.steps[:2]] == ["step", "entry"]
    assert problems(journey({"key": "w", **wait, "timeout": "1 day", "from": "start"})) == [
        "stap 'w'.from: 'start' bestaat niet; kies 'step' (vanaf aankomst bij deze stap) "
        "of 'entry' (vanaf de instap in de klantreis)",
        "stap 'w': volgende stap 'klaar' bestaat niet",
    ]


def test_a_task_may_close_by_itself_on_an_event_and_only_a_task() -> None:
    definition = parse_definition(journey({"key": "taak", **TASK, "done_when": "gift.received"}))

    assert definition.steps[0].settings["done_when"] == {"event": "gift.received", "where": ""}
    assert problems(
        journey(
            {"key": "mail", **MAIL, "done_when": "gift.received"},
            {"key": "taak", **TASK, "done_when": {"event": "gift.ontvangen"}},
        )
    ) == [
        "stap 'mail'.done_when: alleen een taak (channel: task) sluit vanzelf af",
        "stap 'taak'.done_when: onbekende gebeurtenis 'gift.ontvangen'; kies uit "
        + ", ".join(EVENT_KINDS),
    ]


def test_the_minimum_gap_between_contacts_is_two_days_unless_the_journey_says_otherwise() -> None:
    assert parse_definition(journey({"key": "mail", **MAIL})).min_gap == timedelta(days=2)
    assert parse_definition(journey({"key": "mail", **MAIL}, min_gap=0)).min_gap == timedelta()
    assert parse_definition(journey({"key": "mail", **MAIL}, min_gap="3 dagen")).min_gap == (
        timedelta(days=3)
    )
    assert problems(journey({"key": "mail", **MAIL}, min_gap="2 werkdagen")) == [
        "min_gap: '2 werkdagen': werkdagen kunnen hier niet (alleen bij een deadline, een "
        "wachttijd of een time-out); schrijf een duur in uren, dagen of weken"
    ]
    assert problems(journey({"key": "mail", **MAIL}, min_gap="morgen")) == [
        "min_gap: 'morgen' is geen duur; schrijf een geheel aantal en een eenheid, bijvoorbeeld "
        "'24 hours', '7 days' of '2 weeks' (ook: uur, dagen, weken); 0 staat contacten op "
        "dezelfde dag toe"
    ]
