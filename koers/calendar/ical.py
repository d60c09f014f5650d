"""A calendar's year as an iCalendar feed (RFC 5545), to subscribe to from any agenda.

Two kinds of all-day events: each yearly moment on its day, and each week's staff work on
that week's Monday, so the team sees in its own agenda when the cards are to be written and
the calls made. Relation moments fall on a different day for every relation and appear only
in the weekly workload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone
from icalendar import TRANSP, Calendar, Event

from koers.calendar.checks import decimal
from koers.calendar.dates import falls_in
from koers.calendar.forecast import CHANNELS
from koers.calendar.overview import WORK_NL
from koers.calendar.plan import NATURE_NL, MomentSpec
from koers.calendar.report import Overview
from koers.formatting import euro, whole_number
from koers.touchpoints.choices import Channel, channels_where

PRODID = "-//Koers//Waarderingskalender//NL"
# Channels that take staff time; e-mails and webhooks go out by themselves.
EVERYONE_NL = "alle relaties"


def feed(year: Overview, *, now: datetime | None = None) -> bytes:
    """The year's moments and weekly staff work as an iCalendar file."""
    # One stamp for the whole feed: every event of one export was made at the same moment.
    stamp = (now or timezone.now()).astimezone(UTC)
    key, number = year.calendar_key, year.year
    calendar = Calendar.new(
        prodid=PRODID, name=f"{year.calendar_name} {number}", uid=f"{key}-{number}@koers"
    )
    for event in [*moment_events(year, stamp), *workload_events(year, stamp)]:
        calendar.add_component(event)
    return calendar.to_ical()


def moment_events(year: Overview, stamp: datetime) -> list[Event]:
    """One event per yearly moment that falls in the year, in the plan's order."""
    figures = {row["key"]: row for row in year.moments}
    events = []
    for moment in year.plan.moments:
        day = moment_day(moment, year.year, year.plan.founded)
        if day is None:
            continue
        events.append(
            _all_day(
                day,
                uid=f"{year.calendar_key}-{moment.key}-{year.year}@koers",
                summary=f"Waarderingsmoment: {moment.name}",
                description=_moment_text(moment, year.group_names, figures[moment.key]),
                category=NATURE_NL[moment.nature],
                stamp=stamp,
            )
        )
    return events


def moment_day(moment: MomentSpec, year: int, founded: date | None) -> date | None:
    """The day a yearly moment falls in `year`; None for relation moments and rules that
    do not fall in it. The rule's own day and not the forecast's rows: a ceiling may have
    deferred every contact of the moment, and the moment still falls on its day."""
    return None if moment.rule is None else falls_in(moment.rule, year, founded)


def _moment_text(
    moment: MomentSpec, group_names: Mapping[str, str], figures: Mapping[str, Any]
) -> str:
    count = int(figures["total"])
    contacts = "contact" if count == 1 else "contacten"
    return "\n".join(
        [
            f"Soort: {NATURE_NL[moment.nature]}",
            f"Voor: {for_whom(moment, group_names)}",
            f"Kanalen: {', '.join(channel_names(moment.channels))}",
            f"Gepland: {whole_number(count)} {contacts}, kosten {euro(int(figures['cost_cents']))}",
        ]
    )


def for_whom(moment: MomentSpec, group_names: Mapping[str, str]) -> str:
    """The moment's groups by name, or 'alle relaties'."""
    if moment.everyone:
        return EVERYONE_NL
    return ", ".join(group_names.get(key, key) for key in moment.groups)


def channel_names(channels: Iterable[str]) -> list[str]:
    """Channels as the Dutch read them: e-mail, brief, kaart, telefoon, taak, webhook."""
    return [str(Channel(channel).label) for channel in channels]


def workload_events(year: Overview, stamp: datetime) -> list[Event]:
    """One event per week with staff work, on its Monday."""
    events = []
    # Channels that take staff time (paper and staff work); e-mails and webhooks go by themselves.
    staff = channels_where("staff_work") + channels_where("paper")
    for monday_iso, channels in year.workload.items():
        work = {
            channel: channels[channel]
            for channel in CHANNELS
            if channel in staff and channels.get(channel, {}).get("count", 0)
        }
        if not work:
            continue
        monday = date.fromisoformat(monday_iso)
        events.append(
            _all_day(
                monday,
                uid=f"{year.calendar_key}-werklast-{monday_iso}@koers",
                summary=workload_summary(monday, work),
                description=_workload_text(work),
                category="werklast",
                stamp=stamp,
            )
        )
    return events


def workload_summary(monday: date, work: Mapping[str, Mapping[str, int]]) -> str:
    """'Werklast week 49: 120 kaarten schrijven, 40 telefoontjes'."""
    parts = [f"{whole_number(figures['count'])} {WORK_NL[c]}" for c, figures in work.items()]
    return f"Werklast week {monday.isocalendar().week}: {', '.join(parts)}"


def _workload_text(work: Mapping[str, Mapping[str, int]]) -> str:
    lines = [
        f"{str(Channel(channel).label).capitalize()}: {whole_number(figures['count'])} stuks, "
        f"{decimal(figures['minutes'] / 60)} uur personeelstijd, {euro(figures['cost_cents'])}"
        for channel, figures in work.items()
    ]
    minutes = sum(figures["minutes"] for figures in work.values())
    return "\n".join([*lines, f"Samen: {decimal(minutes / 60)} uur personeelstijd"])


def _all_day(
    day: date, *, uid: str, summary: str, description: str, category: str, stamp: datetime
) -> Event:
    # Transparent: a reminder of work to plan, not time taken out of anyone's agenda.
    return Event.new(
        start=day,
        end=day + timedelta(days=1),
        uid=uid,
        summary=summary,
        description=description,
        categories=[category],
        stamp=stamp,
        transparency=TRANSP.TRANSPARENT,
    )
