"""The forecast (pure): dates, channels, holdouts and ceilings for every relation of a year."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from koers.calendar.forecast import (
    CHANNELS,
    HOLDOUT,
    NEXT_YEAR,
    PLANNED,
    PRESSURE,
    UNREACHABLE,
    Ceiling,
    Extra,
    bucket,
    forecast,
)
from koers.calendar.overview import EVERYONE, totaaloverzicht, totals, workload
from koers.calendar.tests.factories import make_base, make_plan
from koers.touchpoints.planning import bucket as planner_bucket


def days_of(result: object, key: str) -> list[date]:
    from koers.calendar.forecast import Forecast

    assert isinstance(result, Forecast)
    number = [s.key for s in result.sources].index(key)
    rows = np.flatnonzero(result.source == number)
    return [date.fromordinal(int(result.day[i])) for i in rows]


@pytest.mark.parametrize(
    ("year", "christmas_card", "easter_monday_after"),
    [
        (2026, date(2026, 12, 18), date(2026, 4, 13)),
        (2027, date(2027, 12, 18), date(2027, 4, 5)),
        (2028, date(2028, 12, 18), date(2028, 4, 24)),  # a leap year
    ],
)
def test_yearly_moments_fall_on_their_day_each_year(
    year: int, christmas_card: date, easter_monday_after: date
) -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: kerst, name: Kerst, when: {holiday: Eerste Kerstdag, offset: -7 days},
             groups: all}
          - {key: pasen, name: Pasen, when: {holiday: Tweede paasdag, offset: 1 week},
             groups: all}
        """
    )

    result = forecast(plan, make_base(2), year)

    assert days_of(result, "kerst") == [christmas_card] * 2
    assert days_of(result, "pasen") == [easter_monday_after] * 2


def test_a_moment_moved_across_new_year_counts_in_the_year_it_falls_in() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: oud, name: Oud en nieuw, when: {holiday: Nieuwjaarsdag, offset: -2 days},
             groups: all}
        """
    )

    assert days_of(forecast(plan, make_base(1), 2026), "oud") == [date(2026, 12, 30)]
    assert days_of(forecast(plan, make_base(1), 2027), "oud") == [date(2027, 12, 30)]


def test_anniversaries_of_29_february_fall_on_28_february_outside_leap_years() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: eerste, name: Eerste gift, trigger: first_gift_anniversary, groups: all}
          - {key: vijf, name: Vijf jaar, trigger: {years_of_support: 5}, groups: all}
          - {key: jarig, name: Jarig, trigger: birthday, groups: all}
        """
    )
    base = make_base(
        3,
        first_gift=[date(2024, 2, 29), date(2022, 6, 1), None],
        birth=[date(1960, 2, 29), None, date(2027, 1, 5)],
    )

    in_2027 = forecast(plan, base, 2027)
    in_2028 = forecast(plan, base, 2028)

    assert days_of(in_2027, "eerste") == [date(2027, 2, 28), date(2027, 6, 1)]
    assert days_of(in_2028, "eerste") == [date(2028, 2, 29), date(2028, 6, 1)]
    assert days_of(in_2027, "vijf") == [date(2027, 6, 1)]
    assert days_of(in_2028, "vijf") == []
    # Born in 2027: no birthday to celebrate in the year of birth itself.
    assert days_of(in_2027, "jarig") == [date(2027, 2, 28)]
    assert days_of(in_2028, "jarig") == [date(2028, 2, 29), date(2028, 1, 5)]


def test_the_channel_is_the_preferred_one_that_can_be_used_else_the_first_that_can() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: a, name: A, when: {date: "06-01"}, groups: all, channels: [email, letter],
             content: {subject: s, body: b}}
        """
    )
    base = make_base(
        4,
        preferred=["post", "post", "", "email"],
        reach={"email": [True, True, True, False], "post": [True, False, True, False]},
    )

    result = forecast(plan, base, 2027)

    assert [CHANNELS[c] if c >= 0 else "" for c in result.channel] == [
        "letter", "email", "email", ""
    ]  # fmt: skip
    assert result.status.tolist() == [PLANNED, PLANNED, PLANNED, UNREACHABLE]


def test_the_holdout_is_the_planners_and_keeps_the_chosen_percentage_out() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: a, name: A, when: {date: "06-01"}, groups: all, holdout: 20}
        """
    )
    base = make_base(1000)

    result = forecast(plan, base, 2027)

    expected = [planner_bucket(int(i), "calendar:a") < 20 for i in base.ids]
    assert (result.status == HOLDOUT).tolist() == expected
    assert bucket(base.ids, "calendar:a").tolist() == [
        planner_bucket(int(i), "calendar:a") for i in base.ids
    ]
    assert 150 < int((result.status == HOLDOUT).sum()) < 250


def test_over_a_ceiling_a_moment_is_deferred_to_the_first_day_it_fits() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: a, name: A, when: {date: "03-01"}, groups: all}
          - {key: b, name: B, when: {date: "03-05"}, groups: all}
          - {key: c, name: C, when: {date: "03-06"}, groups: all, pressure: skip}
        """
    )
    ceiling = Ceiling(limit=1, period_days=14, nature="appreciate")

    result = forecast(plan, make_base(1), 2027, ceilings=[ceiling])

    assert days_of(result, "b") == [date(2027, 3, 15)]  # 1 March + 14 days
    assert result.status.tolist() == [PLANNED, PLANNED, PRESSURE]


def test_a_deferral_beyond_the_year_or_beyond_sixty_days_is_reported() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: a, name: A, when: {date: "12-20"}, groups: all}
          - {key: b, name: B, when: {date: "12-21"}, groups: all}
        """
    )
    short = forecast(plan, make_base(1), 2027, ceilings=[Ceiling(1, 30, nature="appreciate")])
    long = forecast(plan, make_base(1), 2027, ceilings=[Ceiling(1, 90, nature="appreciate")])

    assert short.status.tolist() == [PLANNED, NEXT_YEAR]
    assert long.status.tolist() == [PLANNED, PRESSURE]


def test_thanks_count_towards_a_ceiling_but_are_never_held_back() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: a, name: A, when: {date: "05-02"}, groups: all}
        """
    )
    base = make_base(2)
    thanks = Extra(
        source="klantreis welkom: bedankmail",
        nature="thank",
        intensity=1,
        rel=np.array([0], np.int64),
        day=np.array([date(2027, 5, 1).toordinal()], np.int64),
        channel=np.array([CHANNELS.index("email")], np.int64),
        cost_cents=np.array([1], np.int64),
        minutes=np.array([0], np.int64),
    )
    ceiling = Ceiling(1, 7, channel="email")

    result = forecast(plan, base, 2027, ceilings=[ceiling], extras=[thanks])

    assert days_of(result, "a") == [date(2027, 5, 8), date(2027, 5, 2)]
    assert days_of(result, "klantreis welkom: bedankmail") == [date(2027, 5, 1)]


def test_a_welcome_flow_standing_in_for_newcomers_leaves_the_relation_alone() -> None:
    plan = make_plan(
        "key: k\nname: K\nmoments:\n  - {key: a, name: A, when: {date: '05-02'}, groups: all}\n"
    )
    stand_in = Extra(
        source="klantreis welkom: bedankmail",
        nature="thank",
        intensity=1,
        rel=np.array([0], np.int64),
        day=np.array([date(2027, 5, 1).toordinal()], np.int64),
        channel=np.array([CHANNELS.index("email")], np.int64),
        cost_cents=np.array([1], np.int64),
        minutes=np.array([0], np.int64),
        personal=False,
    )

    result = forecast(
        plan, make_base(1), 2027, ceilings=[Ceiling(1, 7, channel="email")], extras=[stand_in]
    )

    assert days_of(result, "a") == [date(2027, 5, 2)]
    assert totals(result)["thank"] == 1


def test_a_milestone_is_estimated_from_last_years_pace() -> None:
    plan = make_plan(
        "key: k\nname: K\nmoments:\n"
        "  - {key: m, name: EUR 1000, trigger: {milestone: 1000}, groups: all}\n"
    )
    base = make_base(3, today=date(2027, 1, 1))
    base.gifts_cents[:] = [90_000, 150_000, 99_000]
    base.gifts_12m_cents[:] = [36_500, 36_500, 0]

    result = forecast(plan, base, 2027)

    # EUR 100 to go at EUR 1 a day: 100 days on; the second passed it; the third gives nothing.
    assert days_of(result, "m") == [date(2027, 4, 11)]
    assert result.estimated == ("m",)


def test_the_totaaloverzicht_counts_appreciation_and_thanks_per_group_and_month() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: kerst, name: Kerst, when: {date: "12-18"}, groups: [trouw],
             channels: [card], content: {body: b}}
          - {key: dank, name: Dank, when: {date: "12-01"}, groups: all, nature: thank}
        """
    )
    base = make_base(3, groups={"trouw": [0, 1]})

    result = forecast(plan, base, 2027)
    table = totaaloverzicht(result)

    december = table["trouw"][11]
    assert (december.appreciate, december.thank, december.cost_cents) == (2, 2, 502)
    assert (table[EVERYONE][11].appreciate, table[EVERYONE][11].thank) == (2, 3)
    assert table["trouw"][0].appreciate == 0


def test_the_workload_adds_up_per_week_and_channel() -> None:
    plan = make_plan(
        """
        key: k
        name: K
        moments:
          - {key: kerst, name: Kerst, when: {date: "12-16"}, groups: all,
             channels: [card], minutes: 3, content: {body: b}}
        """
    )

    weeks = workload(forecast(plan, make_base(5), 2027))

    assert weeks == {"2027-12-13": {"card": {"count": 5, "minutes": 15, "cost_cents": 1250}}}
