"""Reading a calendar's YAML: every problem at once, each naming its place."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from koers.calendar.plan import PlanError, parse_plan, plan_to_raw


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        parse_plan(yaml.safe_load(text))
    return caught.value.problems


def test_a_plan_reads_into_moments_and_back_unchanged() -> None:
    plan = parse_plan(
        yaml.safe_load(
            """
            key: kalender
            name: Kalender
            founded: 1987-05-14
            moments:
              - key: kerst
                name: Kerstkaart
                when: {holiday: Eerste Kerstdag, offset: -7 days}
                groups: [grote-gevers]
                channels: [card]
                nature: appreciate
                intensity: 3
                cost: "€ 2,75"
                holdout: 10
                pressure: skip
                content: {body: Fijne feestdagen}
              - key: tien
                name: Tien jaar
                trigger: {years_of_support: 10}
                groups: all
                channel: phone
                nature: appreciate
                content: {script: Bedank}
            """
        )
    )

    assert plan.founded == date(1987, 5, 14)
    kerst, tien = plan.moments
    assert (kerst.rule and kerst.rule.offset, kerst.cost_cents, kerst.holdout) == (-7, 275, 10)
    assert (tien.everyone, tien.channels, tien.cost_for("phone")) == (True, ("phone",), 50)
    assert parse_plan(plan_to_raw(plan)) == plan


def test_every_problem_is_named_with_its_moment_and_field() -> None:
    found = problems(
        """
        key: Kalender!
        name: Kalender
        moments:
          - key: kerst
            name: Kerst
            when: {date: "02-30"}
            groups: all
            channels: [fax]
            nature: thank-you
            intensity: 9
          - key: geen-tijd
            name: Zonder moment
            groups: []
            channels: [email]
            nature: appreciate
            content: {subject: Hallo}
        """
    )

    assert found == [
        "key: een sleutel van kleine letters, cijfers en streepjes, zoals 'kerstkaart'",
        "moments[1] (kerst).when.date: '02-30' bestaat niet (maand-dag)",
        "moments[1] (kerst).channels: onbekend kanaal 'fax'; kies uit email, letter, card, "
        "phone, task, webhook",
        "moments[1] (kerst).nature: 'appreciate' (waarderen, proactief) of 'thank' "
        "(bedanken, na een gift), niet 'thank-you'",
        "moments[1] (kerst).intensity: een geheel getal van 1 tot en met 5, niet 9",
        "moments[2] (geen-tijd): precies één van 'when' (een vaste datum per jaar) of "
        "'trigger' (een persoonlijke aanleiding)",
        "moments[2] (geen-tijd).groups: de sleutels van relatiegroepen, of 'all' voor iedereen",
        "moments[2] (geen-tijd).content: kanaal 'email' heeft 'body' nodig",
    ]


def test_the_organisations_anniversary_needs_a_founding_date() -> None:
    found = problems(
        """
        key: k
        name: K
        moments:
          - {key: jarig, name: Jarig, when: {anniversary: true}, groups: all,
             channels: [email], nature: appreciate, content: {subject: a, body: b}}
        """
    )

    assert found == [
        "moments[1].when: de verjaardag van de organisatie heeft 'founded' nodig "
        "(de oprichtingsdatum, jjjj-mm-dd)"
    ]


def test_a_moment_key_may_be_used_once() -> None:
    moment = "{key: a, name: A, when: {date: '01-02'}, groups: all, channels: [email], " \
        "nature: appreciate, content: {subject: s, body: b}}"  # fmt: skip
    found = problems(f"key: k\nname: K\nmoments:\n  - {moment}\n  - {moment}\n")

    assert found == ["moments[2].key: 'a' komt al eerder voor"]


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        (
            "gratis",
            "moments[1] (a).cost: een bedrag in euro per contact, zoals 2,50; niet 'gratis'",
        ),
        (-1, "moments[1] (a).cost: een bedrag in euro per contact, zoals 2,50; niet -1"),
    ],
)
def test_a_cost_is_an_amount_in_euros(cost: object, message: str) -> None:
    raw = {
        "key": "k",
        "name": "K",
        "moments": [
            {"key": "a", "name": "A", "when": {"date": "01-02"}, "groups": "all",
             "channels": ["email"], "nature": "appreciate", "cost": cost,
             "content": {"subject": "s", "body": "b"}}
        ],
    }  # fmt: skip
    with pytest.raises(PlanError) as caught:
        parse_plan(raw)
    assert caught.value.problems == [message]


def test_the_example_calendar_reads_without_problems() -> None:
    from koers.calendar.actions import LIBRARY

    plan = parse_plan(yaml.safe_load((LIBRARY / "example.yaml").read_text(encoding="utf-8")))

    assert [m.key for m in plan.moments if m.yearly] == [
        "nieuwjaar", "giving-tuesday", "dag-van-de-vrijwilliger", "verjaardag-organisatie",
        "kerst",
    ]  # fmt: skip
    assert {m.nature for m in plan.moments} == {"appreciate"}
