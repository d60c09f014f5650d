"""The calendar in the daily tick: touchpoints inside the lookahead window, exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from django.utils.timezone import localtime

from koers.calendar import actions
from koers.calendar.engine import plan_calendars
from koers.calendar.plan import parse_plan
from koers.giving import actions as giving
from koers.groups.facts import refresh_facts
from koers.groups.models import Group
from koers.relations.choices import EventSource
from koers.tests.people import donor, local
from koers.touchpoints.choices import SkipReason, Status
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

EMAIL = {"subject": "Hallo", "body": "Tekst"}


def calendar(moments: list[dict[str, Any]], **fields: Any) -> Any:
    raw = {"key": "test", "name": "Test", "lookahead_days": 14, **fields, "moments": moments}
    for moment in moments:
        moment.setdefault("groups", "all")
        moment.setdefault("channels", ["email"])
        moment.setdefault("nature", "appreciate")
        moment.setdefault("content", EMAIL)
    found = actions.save_plan(parse_plan(raw))
    actions.set_active(found, True)
    return found


def gift(relation: Any, day: date, cents: int) -> None:
    giving.record_gift(relation.pk, day, cents, source=EventSource.IMPORT)


def tick_days(first: date, last: date) -> None:
    day = first
    while day <= last:
        plan_calendars(local(day.year, day.month, day.day))
        day += timedelta(days=1)


def planned(source: str = "") -> list[tuple[str, str, str, str]]:
    rows = Touchpoint.objects.filter(source__startswith=source or "calendar:").order_by(
        "planned_at", "relation__external_id"
    )
    return [
        (
            t.relation.external_id,
            t.occurrence,
            f"{localtime(t.planned_at):%Y-%m-%d %H:%M}",
            t.status,
        )
        for t in rows
    ]


def test_a_yearly_moment_is_planned_when_it_enters_the_window_and_not_before() -> None:
    donor("1", "Anna")
    refresh_facts(local(2026, 12, 1))
    calendar([{"key": "kerst", "name": "Kerst", "when": {"date": "12-20"}}])

    plan_calendars(local(2026, 12, 5))
    assert planned() == []

    plan_calendars(local(2026, 12, 6))
    assert planned() == [("1", "2026", "2026-12-20 09:00", Status.PLANNED)]


def test_letters_and_cards_leave_three_days_early_to_arrive_on_the_day() -> None:
    donor("1", "Anna", preferred="post")
    donor("2", "Bert", preferred="email")
    refresh_facts(local(2026, 12, 1))
    calendar(
        [
            {
                "key": "kerst",
                "name": "Kerst",
                "when": {"date": "12-20"},
                "channels": ["card", "email"],
                "content": {**EMAIL, "body": "Fijne feestdagen"},
            }
        ]
    )

    plan_calendars(local(2026, 12, 10))

    rows = Touchpoint.objects.order_by("relation__external_id")
    assert [(t.relation.external_id, t.channel, t.planned_at.date()) for t in rows] == [
        ("1", "card", date(2026, 12, 17)),
        ("2", "email", date(2026, 12, 20)),
    ]


def test_a_year_of_daily_ticks_plans_every_moment_exactly_once() -> None:
    # Given two relations, one with a first gift on 29 February 2024, and a calendar with
    # a yearly moment, one that crosses New Year, and an anniversary
    anna, bert = donor("1", "Anna"), donor("2", "Bert", birth_date=date(1970, 3, 5))
    gift(anna, date(2024, 2, 29), 2500)
    gift(bert, date(2023, 7, 1), 1000)
    refresh_facts(local(2025, 12, 1))
    calendar(
        [
            {"key": "nieuwjaar", "name": "Nieuwjaar",
             "when": {"holiday": "Nieuwjaarsdag", "offset": "-3 days"}},
            {"key": "pasen", "name": "Pasen", "when": {"holiday": "Eerste paasdag"}},
            {"key": "eerste-gift", "name": "Eerste gift", "trigger": "first_gift_anniversary"},
            {"key": "verjaardag", "name": "Verjaardag", "trigger": "birthday"},
        ]
    )  # fmt: skip

    # When the tick runs every day of 2026, and the first days of 2027 twice over
    tick_days(date(2026, 1, 1), date(2026, 12, 31))
    tick_days(date(2026, 12, 20), date(2027, 1, 5))

    # Then each moment is planned once per relation and year, on its day
    keys = Counter((t.source, t.occurrence, t.relation_id) for t in Touchpoint.objects.all())
    assert set(keys.values()) == {1}
    assert planned("calendar:test:pasen") == [
        ("1", "2026", "2026-04-05 09:00", Status.PLANNED),
        ("2", "2026", "2026-04-05 09:00", Status.PLANNED),
    ]
    assert planned("calendar:test:eerste-gift") == [
        ("1", "2026", "2026-02-28 09:00", Status.PLANNED),
        ("2", "2026", "2026-07-01 09:00", Status.PLANNED),
    ]
    assert planned("calendar:test:verjaardag") == [("2", "2026", "2026-03-05 09:00", "planned")]
    # Nieuwjaarsdag 2027 minus three days is 29 December 2026: planned for 2026 once
    assert [row[1:3] for row in planned("calendar:test:nieuwjaar")] == [
        ("2026", "2026-12-29 09:00"),
        ("2026", "2026-12-29 09:00"),
    ]


def test_someone_who_joins_a_group_mid_year_gets_the_moments_still_ahead() -> None:
    # Given a calendar for structural donors with a spring and an autumn moment
    calendar(
        [
            {"key": "lente", "name": "Lente", "when": {"date": "03-20"},
             "groups": ["structurele-donateurs"]},
            {"key": "herfst", "name": "Herfst", "when": {"date": "10-20"},
             "groups": ["structurele-donateurs"]},
        ]
    )  # fmt: skip
    tick_days(date(2026, 3, 1), date(2026, 6, 30))
    assert planned() == []

    # When a relation starts a mandate in July and the year goes on
    donor("1", "Anna", monthly_cents=1000, started=date(2026, 7, 1))
    refresh_facts(local(2026, 7, 1))
    tick_days(date(2026, 7, 1), date(2026, 12, 31))

    # Then it gets the autumn moment, and not the spring one it missed
    assert planned() == [("1", "2026", "2026-10-20 09:00", Status.PLANNED)]


def test_without_a_legal_basis_the_moment_is_recorded_as_skipped_and_never_sent() -> None:
    donor("1", "Anna", channels=())
    refresh_facts(local(2026, 12, 1))
    calendar([{"key": "kerst", "name": "Kerst", "when": {"date": "12-20"}}])

    plan_calendars(local(2026, 12, 10))

    row = Touchpoint.objects.get()
    assert (row.status, row.skip_reason) == (Status.SKIPPED, SkipReason.NO_CONSENT)


def test_the_holdout_is_the_same_relations_every_time() -> None:
    for number in range(40):
        donor(str(100 + number), f"Donor{number}")
    refresh_facts(local(2026, 12, 1))
    calendar([{"key": "kerst", "name": "Kerst", "when": {"date": "12-20"}, "holdout": 50}])

    plan_calendars(local(2026, 12, 10))
    held = set(
        Touchpoint.objects.filter(skip_reason=SkipReason.HOLDOUT).values_list(
            "relation_id", flat=True
        )
    )
    Touchpoint.objects.all().delete()
    plan_calendars(local(2026, 12, 11))

    again = Touchpoint.objects.filter(skip_reason=SkipReason.HOLDOUT)
    assert set(again.values_list("relation_id", flat=True)) == held
    assert 0 < len(held) < 40


def test_passing_a_milestone_is_celebrated_once_and_old_gifts_never_set_it_off() -> None:
    # Given Anna passed EUR 100 years ago and Bert is at EUR 90
    anna, bert = donor("1", "Anna"), donor("2", "Bert")
    gift(anna, date(2020, 5, 1), 15000)
    gift(bert, date(2026, 1, 10), 9000)
    refresh_facts(local(2026, 11, 1))
    calendar([{"key": "honderd", "name": "EUR 100", "trigger": {"milestone": 100}}])
    plan_calendars(local(2026, 11, 1))
    assert planned() == []

    # When Bert gives EUR 20 and the tick runs on two days
    gift(bert, date(2026, 11, 2), 2000)
    plan_calendars(local(2026, 11, 3))
    plan_calendars(local(2026, 11, 4))

    # Then Bert is celebrated once; Anna never
    assert planned() == [("2", "2026", "2026-11-03 09:00", Status.PLANNED)]


def test_the_tenth_gift_is_noticed() -> None:
    anna = donor("1", "Anna")
    for month in range(1, 10):
        gift(anna, date(2026, month, 1), 500)
    refresh_facts(local(2026, 10, 1))
    calendar([{"key": "tiende", "name": "Tiende gift", "trigger": {"nth_gift": 10}}])

    gift(anna, date(2026, 11, 1), 500)
    plan_calendars(local(2026, 11, 2))

    assert planned() == [("1", "2026", "2026-11-02 09:00", Status.PLANNED)]


def test_moving_up_a_level_is_noticed_from_the_second_tick_on() -> None:
    anna = donor("1", "Anna")
    gift(anna, date(2026, 1, 5), 5000)
    refresh_facts(local(2026, 6, 1))
    calendar([{"key": "hoger", "name": "Hoger niveau", "trigger": "level_up"}])
    plan_calendars(local(2026, 6, 1))  # the first tick only notes where everyone is

    gift(anna, date(2026, 6, 10), 60000)
    refresh_facts(local(2026, 6, 11))
    plan_calendars(local(2026, 6, 11))
    plan_calendars(local(2026, 6, 12))

    assert planned() == [("1", "2026", "2026-06-11 09:00", Status.PLANNED)]


def test_an_inactive_calendar_plans_nothing() -> None:
    donor("1", "Anna")
    refresh_facts(local(2026, 12, 1))
    found = calendar([{"key": "kerst", "name": "Kerst", "when": {"date": "12-20"}}])
    actions.set_active(found, False)

    plan_calendars(local(2026, 12, 10))

    assert Touchpoint.objects.count() == 0


def test_the_example_calendar_installs_and_its_groups_exist() -> None:
    found = actions.install("example")

    assert found.moments.count() == 11
    named = {g.key for m in found.moments.all() for g in m.groups.all()}
    assert named <= set(Group.objects.values_list("key", flat=True))
    assert yaml.safe_load(actions.export_yaml(found))["moments"][0]["key"] == "nieuwjaar"


def test_settings_without_a_founding_date_are_refused_while_a_moment_needs_it() -> None:
    from dataclasses import replace

    from koers.calendar.plan import PlanError

    found = actions.install("example")

    with pytest.raises(PlanError) as caught:
        actions.update_settings(found, replace(found.spec(), founded=None, max_per_month=5))

    assert caught.value.problems == [
        "De oprichtingsdatum is nodig: 'Onze verjaardag, uw verdienste' valt op de verjaardag "
        "van de organisatie."
    ]
    found.refresh_from_db()
    assert (found.founded_on, found.max_per_month) == (date(1987, 5, 14), 4)


def test_deleting_a_moment_keeps_what_it_planned() -> None:
    donor("1", "Anna")
    refresh_facts(local(2026, 12, 1))
    found = calendar([{"key": "kerst", "name": "Kerst", "when": {"date": "12-20"}}])
    plan_calendars(local(2026, 12, 10))

    actions.delete_moment(found, "kerst")

    assert found.moments.count() == 0
    assert Touchpoint.objects.count() == 1
