"""Reading a journey definition: precise errors for what cannot run."""

from __future__ import annotations

from typing import Any

import pytest

from koers.journeys.definition import DefinitionError, parse_definition
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
