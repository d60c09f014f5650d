"""The five checks, each with a plan built to fail it and the exact finding."""

from __future__ import annotations

from datetime import date

import numpy as np

from koers.calendar.checks import (
    balance,
    ceiling,
    coverage,
    proportion,
    run_checks,
    staff_peak,
)
from koers.calendar.forecast import CHANNELS, Extra, forecast
from koers.calendar.plan import PlanSpec
from koers.calendar.tests.factories import make_base, make_plan


def numbers(ids: object) -> list[str]:
    return [f"R{i}" for i in ids]  # type: ignore[attr-defined]


def test_coverage_names_the_group_left_without_appreciation_and_how_many() -> None:
    # Given loyal donors get a Christmas card and major donors nothing at all
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: kerst, name: Kerst, when: {date: "12-18"}, groups: [trouwe-donateurs]}
        """
    )
    base = make_base(5, groups={"trouwe-donateurs": [0, 1], "grote-gevers": [2, 3, 4]})
    base.group_names = {"trouwe-donateurs": "Trouwe donateurs", "grote-gevers": "Grote gevers"}

    check = coverage(forecast(plan, base, 2027))

    assert not check.passed
    assert check.findings == [
        "Grote gevers: 3 van de 3 relaties krijgen dit jaar geen enkel waarderingsmoment."
    ]


def test_coverage_does_not_count_thanks_and_tells_unreachable_relations_apart() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: dank, name: Dank, when: {date: "06-01"}, groups: all, nature: thank}
          - {key: kerst, name: Kerst, when: {date: "12-18"}, groups: all, holdout: 100}
        """
    )
    no = [False, True]
    base = make_base(2, groups={"trouw": [0, 1]}, reach={"email": no, "post": no, "phone": no})
    base.group_names = {"trouw": "Trouw"}

    check = coverage(forecast(plan, base, 2027))

    assert check.findings == [
        "Trouw: 1 van de 2 relaties krijgt dit jaar geen enkel waarderingsmoment "
        "(van wie 1 in een controlegroep)."
    ]
    assert check.notes == [
        "Trouw: 1 relatie is via geen enkel kanaal te bereiken (geen toestemming of geen adres)."
    ]


def test_coverage_passes_when_every_group_is_appreciated() -> None:
    plan = make_plan(
        "key: k\nname: K\nmoments:\n  - {key: a, name: A, when: {date: '01-03'}, groups: all}\n"
    )
    base = make_base(3, groups={"a": [0], "b": [1, 2]})

    check = coverage(forecast(plan, base, 2027))

    assert (check.passed, check.findings) == (True, [])
    assert [row["without"] for row in check.rows] == [0, 0]


def test_proportion_names_a_level_that_gets_less_than_the_one_below() -> None:
    # Given silver donors get a card (3) and gold donors only an e-mail (1)
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: kaart, name: Kaart, when: {date: "12-18"}, groups: [zilver], intensity: 3}
          - {key: mail, name: Mail, when: {date: "01-03"}, groups: [goud], intensity: 1}
        """
    )
    base = make_base(
        4,
        groups={"zilver": [0, 1], "goud": [2, 3]},
        levels=("Brons", "Zilver", "Goud"),
        level=[1, 1, 2, 2],
    )

    check = proportion(forecast(plan, base, 2027))

    assert not check.passed
    assert check.findings == [
        "Goud krijgt gemiddeld 1,0 punten waardering per relatie, minder dan Zilver (3,0): "
        "wie meer steunt, hoort niet minder waardering te krijgen."
    ]
    assert check.rows == [
        {"level": "Brons", "relations": 0, "average": 0.0},
        {"level": "Zilver", "relations": 2, "average": 3.0},
        {"level": "Goud", "relations": 2, "average": 1.0},
    ]


def test_balance_flags_a_group_that_is_only_thanked_or_thanked_far_more() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: w, name: W, when: {date: "03-01"}, groups: [b]}
          - {key: d1, name: D1, when: {date: "04-01"}, groups: all, nature: thank}
          - {key: d2, name: D2, when: {date: "05-01"}, groups: all, nature: thank}
          - {key: d3, name: D3, when: {date: "06-01"}, groups: all, nature: thank}
        """
    )
    base = make_base(2, groups={"a": [0], "b": [1]})
    base.group_names = {"a": "Groep A", "b": "Groep B"}

    check = balance(forecast(plan, base, 2027), limit=2)

    assert check.findings == [
        "Groep A: 3 keer bedankt en geen enkele keer gewaardeerd.",
        "Groep B: 3 keer bedankt tegen 1 keer gewaardeerd, meer dan 2 keer zo vaak bedankt "
        "als gewaardeerd.",
    ]
    assert check.rows[1] == {"group": "b", "name": "Groep B", "appreciate": 1, "thank": 3}


def test_the_ceiling_check_names_relations_with_too_many_contacts_in_a_month() -> None:
    # Given three December moments and a journey's thank-you for the first relation
    plan = make_plan(
        """
        key: k
        name: K
        max_per_month: 3
        moments:
          - {key: a, name: A, when: {date: "12-01"}, groups: all}
          - {key: b, name: B, when: {date: "12-10"}, groups: all}
          - {key: c, name: C, when: {date: "12-20"}, groups: all}
        """
    )
    base = make_base(2)
    thanks = Extra(
        source="klantreis gift: bedankt",
        nature="thank",
        intensity=1,
        rel=np.array([0], np.int64),
        day=np.array([date_ordinal(2027, 12, 5)], np.int64),
        channel=np.array([CHANNELS.index("email")], np.int64),
        cost_cents=np.array([1], np.int64),
        minutes=np.array([0], np.int64),
    )

    check = ceiling(forecast(plan, base, 2027, extras=[thanks]), 3, numbers)

    assert check.findings == [
        "december: 1 relatie krijgt meer dan 3 contactmomenten (relatienummer R1)."
    ]
    assert check.rows == [{"month": "dec", "relations": 1, "examples": ["R1"]}]
    assert check.links == {"R1": 1}  # the page links the number to the relation


def test_all_five_checks_run_together_in_order() -> None:
    plan = make_plan(
        "key: k\nname: K\nmoments:\n  - {key: a, name: A, when: {date: '01-03'}, groups: all}\n"
    )

    checks = run_checks(forecast(plan, make_base(1, groups={"g": [0]}), 2027), plan)

    assert [(c.key, c.passed) for c in checks] == [
        ("coverage", True), ("proportion", True), ("balance", True), ("ceiling", True),
        ("staff_peak", True),
    ]  # fmt: skip


def date_ordinal(year: int, month: int, day: int) -> int:
    return date(year, month, day).toordinal()


def peak_plan(calls: str) -> PlanSpec:
    """A New Year phone call to everyone on `calls` (8 minutes each) and a spring e-mail (no
    staff time)."""
    return make_plan(
        f"""
        key: k
        name: K
        moments:
          - {{key: nieuwjaar, name: Nieuwjaarsbelronde, when: {{date: "{calls}"}}, groups: all,
             channels: [phone]}}
          - {{key: mail, name: Voorjaarsmail, when: {{date: "03-15"}}, groups: all,
             channels: [email]}}
        """
    )


def test_a_week_far_above_the_average_week_in_staff_hours_is_flagged() -> None:
    # Given 1,500 relations called in the first week of January: 200 hours in one week,
    # against 3.8 hours in the average week (200 hours over the 53 weeks of 2027)
    base = make_base(1500, reach={"phone": [True] * 1500, "post": [True] * 1500})

    check = staff_peak(forecast(peak_plan("01-04"), base, 2027))

    assert not check.passed
    assert check.findings == [
        "Week 1 (vanaf 04-01-2027): 200 uur voor medewerkers, 53,0 keer de gemiddelde week "
        "van 3,8 uur; het meest voor Nieuwjaarsbelronde (200 uur)."
    ]
    assert check.rows == [
        {"week": "2027-01-04", "hours": 200.0, "average": 3.8, "most": "Nieuwjaarsbelronde"}
    ]


def test_a_busy_week_under_a_full_working_week_is_not_a_peak() -> None:
    # 200 relations: 27 hours of calls in one week is many times the average, but less
    # than a full-time working week on top of the usual.
    base = make_base(200, reach={"phone": [True] * 200, "post": [True] * 200})

    check = staff_peak(forecast(peak_plan("01-04"), base, 2027))

    assert (check.passed, check.findings) == (True, [])
