"""Every date rule of a yearly moment, across years, leap years and Easter."""

from __future__ import annotations

from datetime import date

import pytest

from koers.calendar.dates import RuleError, occurs, parse_rule

YEARS = (2024, 2025, 2026, 2027, 2028)


def days(raw: dict[str, object], founded: date | None = None) -> list[date | None]:
    rule = parse_rule(raw)
    return [occurs(rule, year, founded) for year in YEARS]


def test_a_fixed_date_every_year() -> None:
    assert days({"date": "12-07"}) == [date(y, 12, 7) for y in YEARS]


def test_29_february_falls_on_28_february_outside_leap_years() -> None:
    assert days({"date": "02-29"}) == [
        date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28),
        date(2028, 2, 29),
    ]  # fmt: skip


def test_an_offset_crosses_the_end_of_february_as_the_calendar_does() -> None:
    assert days({"date": "02-28", "offset": "1 day"}) == [
        date(2024, 2, 29), date(2025, 3, 1), date(2026, 3, 1), date(2027, 3, 1),
        date(2028, 2, 29),
    ]  # fmt: skip


def test_the_second_sunday_of_may_is_mothers_day() -> None:
    assert days({"weekday": {"n": 2, "weekday": "zondag", "month": 5}}) == [
        date(2024, 5, 12), date(2025, 5, 11), date(2026, 5, 10), date(2027, 5, 9),
        date(2028, 5, 14),
    ]  # fmt: skip


def test_the_last_weekday_and_a_fifth_that_a_month_lacks() -> None:
    assert days({"weekday": {"n": -1, "weekday": "friday", "month": 2}}) == [
        date(2024, 2, 23), date(2025, 2, 28), date(2026, 2, 27), date(2027, 2, 26),
        date(2028, 2, 25),
    ]  # fmt: skip
    # February 2024 (a leap year) has five Thursdays; the other years do not.
    assert days({"weekday": {"n": 5, "weekday": "thursday", "month": 2}}) == [
        date(2024, 2, 29), None, None, None, None,
    ]  # fmt: skip


def test_easter_and_days_relative_to_it() -> None:
    easter = [date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28),
              date(2028, 4, 16)]  # fmt: skip
    assert days({"holiday": "Eerste paasdag"}) == easter
    assert days({"holiday": "eerste paasdag", "offset": -2}) == [
        date(2024, 3, 29), date(2025, 4, 18), date(2026, 4, 3), date(2027, 3, 26),
        date(2028, 4, 14),
    ]  # fmt: skip
    assert days({"holiday": "Eerste paasdag", "offset": "7 weeks"}) == days(
        {"holiday": "Eerste pinksterdag"}
    )


def test_kings_day_moves_off_a_sunday_and_liberation_day_is_every_year() -> None:
    assert days({"holiday": "Koningsdag"}) == [
        date(2024, 4, 27), date(2025, 4, 26), date(2026, 4, 27), date(2027, 4, 27),
        date(2028, 4, 27),
    ]  # fmt: skip
    assert days({"holiday": "Bevrijdingsdag"}) == [date(y, 5, 5) for y in YEARS]


def test_giving_tuesday_follows_the_fourth_thursday_of_november() -> None:
    assert days({"giving_tuesday": True}) == [
        date(2024, 12, 3), date(2025, 12, 2), date(2026, 12, 1), date(2027, 11, 30),
        date(2028, 11, 28),
    ]  # fmt: skip


def test_the_organisations_anniversary_with_a_week_before() -> None:
    founded = date(1996, 2, 29)
    assert days({"anniversary": True}, founded) == [
        date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28),
        date(2028, 2, 29),
    ]  # fmt: skip
    assert days({"anniversary": True, "offset": "-1 week"}, date(1980, 10, 3)) == [
        date(y, 9, 26) for y in YEARS
    ]
    assert days({"anniversary": True}) == [None] * 5  # no founding day configured


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"date": "13-01"}, "when.date: '13-01' bestaat niet (maand-dag)"),
        ({"date": "02-30"}, "when.date: '02-30' bestaat niet (maand-dag)"),
        ({"date": "25 december"}, "when.date: maand en dag als MM-DD, zoals '12-25', niet '25 december'"),
        ({"date": "12-25", "holiday": "Koningsdag"}, "when: precies één van date, weekday, holiday, giving_tuesday, anniversary"),
        ({}, "when: precies één van date, weekday, holiday, giving_tuesday, anniversary"),
        ({"datum": "12-25"}, "when: onbekend veld 'datum'; kies uit date, weekday, holiday, giving_tuesday, anniversary"),
        ({"weekday": {"n": 6, "weekday": "sunday", "month": 5}}, "when.weekday.n: 1 tot en met 5, of -1 voor de laatste"),
        ({"weekday": {"n": 2, "weekday": "zondg", "month": 5}}, "when.weekday.weekday: een dag van de week, zoals 'sunday' of 'zondag'"),
        ({"weekday": {"n": 2, "weekday": "sunday", "month": 0}}, "when.weekday.month: een maand van 1 tot en met 12"),
        ({"giving_tuesday": "yes"}, "when.giving_tuesday: schrijf 'giving_tuesday: true'"),
        ({"date": "12-25", "offset": "twee dagen"}, "when.offset: een aantal dagen, zoals '-2 days' of '1 week', niet 'twee dagen'"),
    ],
)  # fmt: skip
def test_a_bad_rule_names_the_field_and_what_is_expected(
    raw: dict[str, object], message: str
) -> None:
    with pytest.raises(RuleError) as error:
        parse_rule(raw)
    assert str(error.value) == message


def test_an_unknown_holiday_lists_the_ones_there_are() -> None:
    with pytest.raises(RuleError) as error:
        parse_rule({"holiday": "Sinterklaas"})
    assert str(error.value).startswith("when.holiday: 'Sinterklaas' is geen feestdag; kies uit ")
    assert "Koningsdag" in str(error.value) and "Eerste kerstdag" in str(error.value)


def test_rules_describe_themselves_in_dutch() -> None:
    assert parse_rule({"date": "12-07"}).describe() == "7 december"
    assert (
        parse_rule({"weekday": {"n": -1, "weekday": "friday", "month": 9}}).describe()
        == "laatste vrijdag van september"
    )
    assert (
        parse_rule({"holiday": "Eerste paasdag", "offset": -2}).describe()
        == "Eerste paasdag, 2 dagen ervoor"
    )
