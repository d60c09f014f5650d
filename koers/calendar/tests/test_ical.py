"""The iCalendar feed, read back with a second library (vobject) as an agenda would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

# vobject ships without type hints; the tests only read what it parses.
import vobject  # type: ignore[import-untyped]

from koers.calendar.forecast import Base, Ceiling
from koers.calendar.ical import feed
from koers.calendar.report import Year
from koers.calendar.tests.factories import make_base, make_year

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
PLAN = """
key: voorbeeld
name: Waarderingskalender
moments:
  - key: kerstkaart
    name: Kerstkaart
    when: {holiday: Eerste kerstdag, offset: -5 days}
    groups: [grote-gevers]
    channels: [card]
    intensity: 3
    minutes: 10
  - key: nieuwjaarsmail
    name: Nieuwjaarsmail
    when: {holiday: Nieuwjaarsdag}
    groups: all
    nature: thank
  - key: koningsdag
    name: Koningsdagkaart
    when: {holiday: Koningsdag}
    groups: [vrijwilligers]
    channels: [card]
  - key: jaardag
    name: Jaardag eerste gift
    trigger: first_gift_anniversary
    groups: all
    channels: [phone]
"""


@pytest.fixture
def base() -> Base:
    """Three major donors and two regular donors, who first gave in June."""
    return make_base(
        5,
        groups={"grote-gevers": [0, 1, 2], "structurele-donateurs": [3, 4]},
        first_gift=[None, None, None, date(2020, 6, 15), date(2019, 6, 17)],
    )


def parsed(year: Year, now: datetime = NOW) -> Any:
    return vobject.readOne(feed(year.overview(), now=now).decode())


def events(year: Year) -> dict[str, Any]:
    return {event.uid.value: event for event in parsed(year).vevent_list}


def test_the_feed_names_the_calendar_and_its_year(base: Base) -> None:
    # Given a plan, when its 2026 feed is read back
    calendar = parsed(make_year(PLAN, base))

    # Then it is an iCalendar 2.0 file from Koers named after the calendar and year
    assert calendar.prodid.value == "-//Koers//Waarderingskalender//NL"
    assert calendar.version.value == "2.0"
    assert calendar.x_wr_calname.value == "Waarderingskalender 2026"


def test_each_yearly_moment_and_each_week_of_staff_work_is_one_all_day_event(base: Base) -> None:
    # Given three yearly moments and a relation moment (two calls in one June week)
    # When the feed is read back
    found = [
        (event.dtstart.value, event.dtend.value, event.summary.value, event.uid.value)
        for event in parsed(make_year(PLAN, base)).vevent_list
    ]

    # Then the yearly moments fall on their days and the cards and calls on their Mondays;
    # the relation moment has no day of its own
    assert found == [
        (date(2026, 12, 20), date(2026, 12, 21), "Waarderingsmoment: Kerstkaart",
         "voorbeeld-kerstkaart-2026@koers"),
        (date(2026, 1, 1), date(2026, 1, 2), "Waarderingsmoment: Nieuwjaarsmail",
         "voorbeeld-nieuwjaarsmail-2026@koers"),
        (date(2026, 4, 27), date(2026, 4, 28), "Waarderingsmoment: Koningsdagkaart",
         "voorbeeld-koningsdag-2026@koers"),
        (date(2026, 6, 15), date(2026, 6, 16), "Werklast week 25: 2 telefoontjes",
         "voorbeeld-werklast-2026-06-15@koers"),
        (date(2026, 12, 14), date(2026, 12, 15), "Werklast week 51: 3 kaarten schrijven",
         "voorbeeld-werklast-2026-12-14@koers"),
    ]  # fmt: skip


def test_a_moment_says_its_nature_groups_channels_contacts_and_cost_in_dutch(base: Base) -> None:
    # When the feed is read back
    found = events(make_year(PLAN, base))

    # Then the Christmas card is appreciation for the major donors, three cards of € 2,50
    christmas = found["voorbeeld-kerstkaart-2026@koers"]
    assert christmas.description.value == (
        "Soort: waarderen\nVoor: Grote gevers\nKanalen: kaart\nGepland: 3 contacten, kosten € 7,50"
    )
    assert christmas.categories.value == ["waarderen"]
    # And the New Year e-mail thanks every relation
    new_year = found["voorbeeld-nieuwjaarsmail-2026@koers"]
    assert new_year.description.value == (
        "Soort: bedanken\nVoor: alle relaties\nKanalen: e-mail\nGepland: 5 contacten, kosten € 0,05"
    )
    assert new_year.categories.value == ["bedanken"]


def test_a_moment_nobody_is_planned_for_still_falls_on_its_day(base: Base) -> None:
    # Given a King's Day card for a group no relation belongs to
    # When the feed is read back
    event = events(make_year(PLAN, base))["voorbeeld-koningsdag-2026@koers"]

    # Then it is on King's Day, with no contacts and no cost
    assert event.dtstart.value == date(2026, 4, 27)
    assert event.description.value == (
        "Soort: waarderen\nVoor: vrijwilligers\nKanalen: kaart\nGepland: 0 contacten, kosten € 0,00"
    )


def test_the_workload_of_a_week_with_cards_says_how_many_cards_hours_and_cost(
    base: Base,
) -> None:
    # When the feed is read back
    event = events(make_year(PLAN, base))["voorbeeld-werklast-2026-12-14@koers"]

    # Then the week of the Christmas card asks for three cards of ten minutes each
    assert event.summary.value == "Werklast week 51: 3 kaarten schrijven"
    assert event.description.value == (
        "Kaart: 3 stuks, 0,5 uur personeelstijd, € 7,50\nSamen: 0,5 uur personeelstijd"
    )
    assert event.categories.value == ["werklast"]


def test_e_mails_are_no_staff_work_and_make_no_workload_event(base: Base) -> None:
    # When the feed is read back
    found = events(make_year(PLAN, base))

    # Then the week of the New Year e-mail (Monday 29 December 2025) has no workload event
    assert "voorbeeld-werklast-2025-12-29@koers" not in found
    assert [uid for uid in found if "-werklast-" in uid] == [
        "voorbeeld-werklast-2026-06-15@koers",
        "voorbeeld-werklast-2026-12-14@koers",
    ]


def test_every_event_carries_the_one_export_moment_in_utc(base: Base) -> None:
    # When the feed is made at noon in Amsterdam
    stamps = {event.dtstamp.value for event in parsed(make_year(PLAN, base)).vevent_list}

    # Then every event is stamped 11:00 UTC
    assert stamps == {datetime(2026, 11, 25, 11, 0, tzinfo=UTC)}


def test_uids_stay_the_same_from_one_export_to_the_next(base: Base) -> None:
    # Given the same year exported a week apart
    year = make_year(PLAN, base)
    first = parsed(year, NOW)
    second = parsed(year, datetime(2026, 12, 2, 9, 30, tzinfo=UTC))

    # Then the agenda sees the same events (updated, not duplicated)
    assert [e.uid.value for e in first.vevent_list] == [e.uid.value for e in second.vevent_list]


def test_a_moment_moved_across_new_year_by_its_offset_falls_in_the_year_it_lands_in(
    base: Base,
) -> None:
    # Given a thank-you on the day before New Year's Day
    text = """
    key: voorbeeld
    name: Waarderingskalender
    moments:
      - {key: oudjaar, name: Oudejaarsmail, when: {holiday: Nieuwjaarsdag, offset: -1 day},
         groups: all}
    """

    # When the 2026 feed is read back
    found = events(make_year(text, base))

    # Then it falls on 31 December 2026, not on 31 December 2025
    assert found["voorbeeld-oudjaar-2026@koers"].dtstart.value == date(2026, 12, 31)


def test_a_moment_deferred_by_a_ceiling_keeps_its_day_and_its_work_moves(base: Base) -> None:
    # Given a Christmas letter the day before the card, and one appreciation a week at most
    letter = "\n  - {key: kerstbrief, name: Kerstbrief, when: {holiday: Eerste kerstdag, offset: -6 days}, groups: [grote-gevers], channels: [letter]}"
    year = make_year(
        PLAN + letter, base, ceilings=[Ceiling(limit=1, period_days=7, nature="appreciate")]
    )

    # When the feed is read back
    found = events(year)

    # Then the card stays on its day, while the cards are written a week later
    assert found["voorbeeld-kerstkaart-2026@koers"].dtstart.value == date(2026, 12, 20)
    assert found["voorbeeld-werklast-2026-12-14@koers"].summary.value == (
        "Werklast week 51: 3 brieven printen"
    )
    assert found["voorbeeld-werklast-2026-12-21@koers"].summary.value == (
        "Werklast week 52: 3 kaarten schrijven"
    )
