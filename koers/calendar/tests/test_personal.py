"""Personal triggers of relation moments: anniversaries, birthdays and years of support."""

from __future__ import annotations

from datetime import date

import pytest

from koers.calendar.dates import RuleError
from koers.calendar.personal import Dates, Trigger, occurs, parse_trigger

YEARS = (2024, 2025, 2026, 2027, 2028)
ANNA = Dates(first_gift=date(2020, 2, 29), mandate_start=date(2023, 9, 1), birth_date=None)
BRAM = Dates(first_gift=date(2024, 6, 15), mandate_start=None, birth_date=date(1964, 2, 29))


def days(trigger: str | dict[str, int], dates: Dates) -> list[date | None]:
    parsed = parse_trigger(trigger)
    return [occurs(parsed, dates, year) for year in YEARS]


def test_the_first_gift_comes_round_every_year_from_the_year_after() -> None:
    assert days("first_gift_anniversary", BRAM) == [
        None, date(2025, 6, 15), date(2026, 6, 15), date(2027, 6, 15), date(2028, 6, 15),
    ]  # fmt: skip


def test_a_first_gift_on_29_february_comes_round_on_28_february_outside_leap_years() -> None:
    assert days("first_gift_anniversary", ANNA) == [
        date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28),
        date(2028, 2, 29),
    ]  # fmt: skip


def test_the_mandate_anniversary_and_none_without_a_mandate() -> None:
    assert days("mandate_anniversary", ANNA) == [date(y, 9, 1) for y in YEARS]
    assert days("mandate_anniversary", BRAM) == [None] * 5


def test_a_birthday_only_for_who_gave_a_birth_date() -> None:
    assert days("birthday", BRAM) == [
        date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28),
        date(2028, 2, 29),
    ]  # fmt: skip
    assert days("birthday", ANNA) == [None] * 5


def test_five_years_of_support_falls_once() -> None:
    assert days({"years_of_support": 5}, ANNA) == [None, date(2025, 2, 28), None, None, None]
    assert days({"years_of_support": 1}, BRAM) == [None, date(2025, 6, 15), None, None, None]


def test_triggers_that_follow_gifts_are_made_by_the_tick_not_placed_by_date() -> None:
    trigger = parse_trigger({"milestone": 1000})
    assert (trigger, trigger.dated) == (Trigger("milestone", 1000), False)
    assert trigger.describe() == "wanneer het totaal aan giften € 1.000 passeert"
    with pytest.raises(ValueError, match="follows events"):
        occurs(trigger, ANNA, 2026)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("jubileum", "trigger: onbekende aanleiding 'jubileum'; kies uit first_gift_anniversary, mandate_anniversary, birthday, years_of_support, milestone, level_up, nth_gift"),
        ("nth_gift", "trigger: 'nth_gift' heeft een aantal nodig, zoals {nth_gift: 5}"),
        ({"years_of_support": 0}, "trigger.years_of_support: een positief geheel aantal jaren"),
        ({"milestone": "veel"}, "trigger.milestone: een positief geheel aantal euro"),
        ({"birthday": 1}, "trigger: 'birthday' heeft geen aantal; schrijf 'trigger: birthday'"),
        ({"jubileum": 1}, "trigger: onbekende aanleiding 'jubileum'; kies uit first_gift_anniversary, mandate_anniversary, birthday, years_of_support, milestone, level_up, nth_gift"),
        ({"nth_gift": 10, "milestone": 5}, "trigger: één aanleiding, zoals 'birthday' of {years_of_support: 5}"),
    ],
)  # fmt: skip
def test_a_bad_trigger_names_the_field_and_what_is_expected(raw: object, message: str) -> None:
    with pytest.raises(RuleError) as error:
        parse_trigger(raw)
    assert str(error.value) == message
