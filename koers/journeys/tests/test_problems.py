"""The editor's problems grouped at their place, with the line each step begins on."""

from __future__ import annotations

from koers.journeys.problems import Place, StepLine, placed, step_lines

STEPS = """\
- key: mail
  label: Bedankmail
  kind: action
  channel: emial
- kind: wait
- key: keuze
  kind: branch
"""


def test_each_step_is_found_on_the_line_it_begins() -> None:
    assert step_lines(STEPS) == [
        StepLine("mail", 1, "Bedankmail"),
        StepLine("2", 5, ""),
        StepLine("keuze", 6, ""),
    ]


def test_steps_that_are_no_list_have_no_lines() -> None:
    assert step_lines("- key: [mail\n") == []
    assert step_lines("key: mail\n") == []


def test_problems_are_grouped_journey_first_then_start_then_steps_in_written_order() -> None:
    problems = [
        "stap 'keuze', tak 1: ongeldige regel 'x': onbekend veld 'x' (teken 1)",
        "stap 'mail': onbekend kanaal 'emial'",
        "Naam: Dit veld is verplicht.",
        "trigger.max_age: geen duur",
        "stap 2: elke stap heeft een 'key' en een 'kind'",
        "stap 'mail'.map.deadline: geen duur",
        "klantreis: veld 'phase' ontbreekt",
        "trigger: kies precies één van 'event', 'group' of 'date'",
    ]

    assert placed(problems, STEPS) == [
        Place("journey", messages=["Naam: Dit veld is verplicht.", "veld 'phase' ontbreekt"]),
        Place(
            "start",
            messages=["max_age: geen duur", "kies precies één van 'event', 'group' of 'date'"],
        ),
        Place(
            "step",
            "mail",
            1,
            "Bedankmail",
            ["onbekend kanaal 'emial'", "map.deadline: geen duur"],
        ),
        Place("step", "2", 5, "", ["elke stap heeft een 'key' en een 'kind'"]),
        Place("step", "keuze", 6, "", ["tak 1: ongeldige regel 'x': onbekend veld 'x' (teken 1)"]),
    ]


def test_a_step_the_text_does_not_show_still_gets_its_problems() -> None:
    assert placed(["stap 'weg': is onbereikbaar"], "- [kapot\n") == [
        Place("step", "weg", None, "", ["is onbereikbaar"])
    ]
