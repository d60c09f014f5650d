"""The calendar forecast, a pure computation that writes nothing (docs/calendar.md,
"Forecast and overviews").

For one year and every relation it places every moment of a plan on a date, chooses the
channel as the daily tick would (preference first, then the first channel with a legal
basis and an address), keeps the holdout out, and applies the contact ceilings the way
dispatch does: a moment that does not fit is deferred to the first day it fits, or skipped
when the moment says so or when it would wait longer than dispatch waits.

The relation base arrives as arrays (see `Base`; koers.calendar.base reads it from the
database), so a million relations are placed with array arithmetic instead of a Python
loop; only relations that may hit a ceiling are walked one by one.

What the journeys will do is added as `Extra` rows (their thank-you touchpoints, from the
journey simulation): they count for the ceilings and appear in every overview, but they
are the journeys' and are never moved by the calendar.
"""

from __future__ import annotations

import heapq
from calendar import isleap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext_noop

from koers.calendar.dates import falls_in
from koers.calendar.plan import MomentSpec, PlanSpec
from koers.touchpoints.choices import CHANNEL_KEYS, consent_channel
from koers.touchpoints.planning import MULTIPLIER, PRIME, salt

Ints = npt.NDArray[np.int64]
Column = npt.NDArray[Any]  # a forecast column, stored as narrow as its values allow
# rel, day, source, channel, status, cost, minutes, personal: 21 bytes a row instead of 57.
DTYPES = (np.int32, np.int32, np.int16, np.int8, np.int8, np.int32, np.int32, np.bool_)
Bools = npt.NDArray[np.bool_]

CHANNELS: Sequence[str] = CHANNEL_KEYS  # the registry's, read when asked
NATURES = ("appreciate", "thank")
PREFERENCES = ("", "email", "post", "phone")  # Base.preferred holds an index into this

# Statuses of a forecast row.
PLANNED, HOLDOUT, UNREACHABLE, PRESSURE, NEXT_YEAR = 0, 1, 2, 3, 4
# In Dutch in the figures (their keys in --json); the pages translate them when they show
# them, so one stored forecast serves every language.
STATUS_NL = {
    PLANNED: gettext_noop("gepland"),
    HOLDOUT: gettext_noop("controlegroep"),
    UNREACHABLE: gettext_noop("niet te bereiken"),
    PRESSURE: gettext_noop("overgeslagen door contactdruk"),
    NEXT_YEAR: gettext_noop("uitgesteld naar volgend jaar"),
}
# A deferred contact that still does not fit after this many days is skipped (as dispatch).
GIVE_UP_DAYS = 60
# Python's date ordinals and numpy's days since 1970 differ by this much.
EPOCH = date(1970, 1, 1).toordinal()


@dataclass
class Base:
    """The active relations, one array entry per relation, all arrays in the same order."""

    ids: Ints
    groups: dict[str, Bools]  # group key -> member
    group_names: dict[str, str]
    level: Ints  # index into `levels`, -1 without a level
    levels: tuple[str, ...]  # level names, lowest first
    reach: dict[str, Bools]  # consent channel (email, post, phone) -> legal basis and address
    preferred: Ints  # index into PREFERENCES
    first_gift: Ints  # date ordinals, 0 when unknown
    mandate_start: Ints
    birth: Ints
    gifts_cents: Ints
    gifts_count: Ints
    gifts_12m_cents: Ints
    gifts_12m_count: Ints
    today: date

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass
class Extra:
    """Touchpoints made outside the calendar (the journeys' thank-yous), to count alongside."""

    source: str  # e.g. "klantreis welkom-structureel: bedankmail"
    nature: str
    intensity: int
    rel: Ints  # index into the base
    day: Ints  # date ordinals
    channel: Ints  # index into CHANNELS
    cost_cents: Ints
    minutes: Ints
    # False: the contact stands for someone like this relation, not the relation itself (a
    # welcome flow a relation went through last year will greet next year's newcomers).
    # It counts in every total but not towards this relation's ceilings.
    personal: bool = True


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    nature: str
    intensity: int
    kind: str  # yearly, relation or journey
    pressure: str = "defer"


@dataclass(frozen=True)
class Ceiling:
    """At most `limit` contacts in `period_days`, of one nature or on one channel."""

    limit: int
    period_days: int
    nature: str = ""
    channel: str = ""


@dataclass
class Forecast:
    year: int
    base: Base
    sources: list[Source]
    rel: Column = field(default_factory=lambda: np.zeros(0, np.int64))
    day: Column = field(default_factory=lambda: np.zeros(0, np.int64))
    source: Column = field(default_factory=lambda: np.zeros(0, np.int64))
    channel: Column = field(default_factory=lambda: np.zeros(0, np.int64))
    status: Column = field(default_factory=lambda: np.zeros(0, np.int64))
    cost_cents: Column = field(default_factory=lambda: np.zeros(0, np.int64))
    minutes: Column = field(default_factory=lambda: np.zeros(0, np.int64))
    personal: Column = field(default_factory=lambda: np.zeros(0, np.bool_))
    estimated: tuple[str, ...] = ()  # moments placed by an estimate of future giving
    not_forecast: tuple[str, ...] = ()  # moments that cannot be placed ahead (level_up)

    @property
    def nature(self) -> Column:
        codes = np.array([NATURES.index(s.nature) for s in self.sources], np.int8)
        return codes[self.source] if len(self.source) else np.zeros(0, np.int8)

    @property
    def planned(self) -> Bools:
        return self.status == PLANNED

    @property
    def personal_planned(self) -> Bools:
        """Planned rows that are really this relation's (see Extra.personal)."""
        return (self.status == PLANNED) & self.personal

    def for_relation(self, index: int) -> list[tuple[date, Source, str, str]]:
        """One relation's year: (date, source, channel, status in Dutch), by date."""
        rows = np.flatnonzero((self.rel == index) & self.personal)
        found = [
            (
                date.fromordinal(int(self.day[i])),
                self.sources[int(self.source[i])],
                CHANNELS[int(self.channel[i])] if self.channel[i] >= 0 else "",
                STATUS_NL[int(self.status[i])],
            )
            for i in rows
        ]
        return sorted(found, key=lambda row: (row[0], row[1].key))


def forecast(
    plan: PlanSpec,
    base: Base,
    year: int,
    *,
    ceilings: Sequence[Ceiling] = (),
    extras: Sequence[Extra] = (),
) -> Forecast:
    """Every moment of `plan` for every relation of `base` in `year`, after pressure."""
    sources = [_source(m) for m in plan.moments]
    parts: list[tuple[Column, ...]] = []
    estimated, skipped = [], []
    for number, moment in enumerate(plan.moments):
        trigger = moment.trigger
        if trigger is not None and trigger.kind == "level_up":
            skipped.append(moment.key)
            continue
        if trigger is not None and not trigger.dated:
            estimated.append(moment.key)
        rows = _moment_rows(moment, number, base, year, plan.founded)
        parts.append(_narrow((*rows, np.ones(len(rows[0]), np.bool_))))
    for extra in extras:
        number = len(sources)
        sources.append(Source(extra.source, extra.source, extra.nature, extra.intensity, "journey"))
        inside = (extra.day >= date(year, 1, 1).toordinal()) & (
            extra.day <= date(year, 12, 31).toordinal()
        )
        count = int(inside.sum())
        parts.append(
            _narrow(
                (
                    extra.rel[inside],
                    extra.day[inside],
                    np.full(count, number, np.int64),
                    extra.channel[inside],
                    np.full(count, PLANNED, np.int64),
                    extra.cost_cents[inside],
                    extra.minutes[inside],
                    np.full(count, extra.personal, np.bool_),
                )
            )
        )
    result = Forecast(year, base, sources, estimated=tuple(estimated), not_forecast=tuple(skipped))
    if parts:
        columns = [np.concatenate([part[i] for part in parts]) for i in range(8)]
        (result.rel, result.day, result.source, result.channel, result.status) = columns[:5]
        result.cost_cents, result.minutes, result.personal = columns[5:]
    if ceilings:
        apply_ceilings(result, ceilings)
    return result


def _narrow(columns: tuple[Any, ...]) -> tuple[Column, ...]:
    return tuple(
        column.astype(dtype, copy=False) for column, dtype in zip(columns, DTYPES, strict=True)
    )


def _source(moment: MomentSpec) -> Source:
    kind = "yearly" if moment.yearly else "relation"
    return Source(moment.key, moment.name, moment.nature, moment.intensity, kind, moment.pressure)


def members(moment: MomentSpec, base: Base) -> Bools:
    if moment.everyone:
        return np.ones(base.size, np.bool_)
    found = np.zeros(base.size, np.bool_)
    for key in moment.groups:
        if key in base.groups:
            found |= base.groups[key]
    return found


def _moment_rows(
    moment: MomentSpec, number: int, base: Base, year: int, founded: date | None
) -> tuple[Ints, ...]:
    rel = np.flatnonzero(members(moment, base)).astype(np.int64)
    day = _days(moment, base, rel, year, founded)
    placed = day > 0
    rel, day = rel[placed], day[placed]
    channel = choose_channel(moment, base, rel)
    status = np.where(channel < 0, UNREACHABLE, PLANNED)
    if moment.holdout:
        held = bucket(base.ids[rel], f"calendar:{moment.key}") < moment.holdout
        status = np.where(held, HOLDOUT, status)
    costs = np.array([moment.cost_for(c) for c in CHANNELS] + [0], np.int64)
    minutes = np.array([moment.minutes_for(c) for c in CHANNELS] + [0], np.int64)
    return (
        rel,
        day,
        np.full(len(rel), number, np.int64),
        channel,
        status.astype(np.int64),
        costs[channel],  # -1 (unreachable) picks the trailing 0
        minutes[channel],
    )


def _days(moment: MomentSpec, base: Base, rel: Ints, year: int, founded: date | None) -> Ints:
    """The date ordinal of the moment for each relation in `rel`; 0 where it does not fall."""
    if moment.rule is not None:
        found = falls_in(moment.rule, year, founded)
        return np.full(len(rel), found.toordinal() if found else 0, np.int64)
    trigger = moment.trigger
    assert trigger is not None
    if trigger.kind == "first_gift_anniversary":
        return anniversaries(base.first_gift[rel], year)
    if trigger.kind == "mandate_anniversary":
        return anniversaries(base.mandate_start[rel], year)
    if trigger.kind == "birthday":
        return anniversaries(base.birth[rel], year)
    if trigger.kind == "years_of_support":
        return anniversaries(base.first_gift[rel], year, exactly=trigger.number)
    if trigger.kind == "milestone":
        return crossing(
            base.gifts_cents[rel], base.gifts_12m_cents[rel], trigger.number * 100, base.today, year
        )
    return crossing(
        base.gifts_count[rel], base.gifts_12m_count[rel], trigger.number, base.today, year
    )


def anniversaries(origin: Ints, year: int, exactly: int = 0) -> Ints:
    """The day each origin date comes round in `year` (0: unknown, not yet, or, with
    `exactly`, not that many years on). 29 February comes round on 28 February."""
    days = (origin - EPOCH).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    origin_year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12
    day = (days - months.astype("datetime64[D]")).astype(np.int64)  # 0-based
    if not isleap(year):
        day = np.where((month == 1) & (day == 28), 27, day)
    placed = (np.datetime64(f"{year}-01", "M") + month).astype("datetime64[D]") + day
    ordinal = placed.astype(np.int64) + EPOCH
    valid = (origin > 0) & (origin_year + exactly == year if exactly else origin_year < year)
    return np.where(valid, ordinal, 0)


def crossing(total: Ints, last_year: Ints, threshold: int, today: date, year: int) -> Ints:
    """An estimate of the day a running total passes `threshold`, giving at last year's pace
    from today; 0 when it has passed already, will not at that pace, or not in `year`."""
    pace = last_year.astype(np.float64) / 365.0
    ahead = np.where(
        (total < threshold) & (pace > 0), np.ceil((threshold - total) / np.maximum(pace, 1e-9)), -1
    )
    ordinal = today.toordinal() + ahead
    inside = (ahead >= 0) & (ordinal >= date(year, 1, 1).toordinal())
    inside &= ordinal <= date(year, 12, 31).toordinal()
    return np.where(inside, ordinal, 0).astype(np.int64)


def bucket(ids: Ints, source: str) -> Ints:
    """0..99 per relation and source: the planner's holdout hash (see steps.split.bucket)."""
    return ((ids * MULTIPLIER + salt(source)) % PRIME) % 100


def choose_channel(moment: MomentSpec, base: Base, rel: Ints) -> Ints:
    """The channel index per relation, as the planner chooses it; -1 when none can be used."""
    chosen = np.full(len(rel), -1, np.int64)
    preferred = base.preferred[rel]
    options = []
    for name in moment.channels:
        needed = consent_channel(name, moment.content)
        reach = base.reach[needed][rel] if needed else np.ones(len(rel), np.bool_)
        code = PREFERENCES.index(needed) if needed in PREFERENCES else -1
        options.append((CHANNELS.index(name), reach, code))
    for index, reach, code in options:  # the relation's preference first, when usable
        chosen = np.where((chosen < 0) & reach & (preferred == code), index, chosen)
    for index, reach, _ in options:
        chosen = np.where((chosen < 0) & reach, index, chosen)
    return chosen


def apply_ceilings(result: Forecast, ceilings: Sequence[Ceiling]) -> None:
    """Defer or skip what goes over a ceiling. Only relations where some row could be over
    one (counting every planned row) are walked one by one; for the rest nothing changes."""
    nature = result.nature
    suspects = _suspects(result, ceilings, nature)
    if not len(suspects):
        return
    rows = np.flatnonzero(np.isin(result.rel, suspects) & result.personal_planned)
    rows = rows[np.lexsort((result.day[rows], result.rel[rows]))]
    skips = np.array([s.pressure == "skip" for s in result.sources], np.bool_)
    walk = _Walk(ceilings, date(result.year, 12, 31).toordinal())
    columns = zip(
        rows.tolist(),
        result.rel[rows].tolist(),
        result.day[rows].tolist(),
        nature[rows].tolist(),
        result.channel[rows].tolist(),
        skips[result.source[rows]].tolist(),
        strict=True,
    )
    current, mine = -1, list[tuple[int, int, int, int, bool]]()
    for row, rel, day, kind, channel, skip in columns:
        if rel != current and mine:
            walk.relation(mine)
            mine = []
        current = rel
        mine.append((day, row, kind, channel, skip))
    walk.relation(mine)
    if walk.changes:
        changed = np.array(walk.changes, np.int64)
        result.day[changed[:, 0]] = changed[:, 1]
        result.status[changed[:, 0]] = changed[:, 2]


def _suspects(result: Forecast, ceilings: Sequence[Ceiling], nature: Ints) -> Ints:
    """Relations with a row that has, counting every planned row before it, a ceiling's
    limit or more in its window: only these can be held back."""
    exempt = nature == NATURES.index("thank")
    planned = np.flatnonzero(result.personal_planned)
    found = []
    for ceiling in ceilings:
        rows = planned[_in_scope(result, ceiling, nature)[planned]]
        if not len(rows):
            continue
        key = result.rel[rows].astype(np.int64) * 1_000_000 + result.day[rows]
        order = np.argsort(key, kind="stable")
        key, rows = key[order], rows[order]
        earlier = np.arange(len(rows)) - np.searchsorted(key, key - ceiling.period_days + 1)
        over = (earlier >= ceiling.limit) & ~exempt[rows]
        found.append(np.unique(result.rel[rows[over]]))
    return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)


def _in_scope(result: Forecast, ceiling: Ceiling, nature: Ints) -> Bools:
    if ceiling.nature:
        if ceiling.nature not in NATURES:
            return np.zeros(len(result.rel), np.bool_)
        return nature == NATURES.index(ceiling.nature)
    return result.channel == CHANNELS.index(ceiling.channel)


class _Walk:
    """One relation's year at a time, in date order, as dispatch would meet it; what is
    deferred or skipped is collected as (row, day, status) changes."""

    def __init__(self, ceilings: Sequence[Ceiling], last: int) -> None:
        self.last = last
        self.changes: list[tuple[int, int, int]] = []
        self.thank = NATURES.index("thank")
        # (limit, period, nature code or -1, channel code or -1) per ceiling
        self.ceilings = [
            (
                c.limit,
                c.period_days,
                NATURES.index(c.nature) if c.nature in NATURES else (-2 if c.nature else -1),
                CHANNELS.index(c.channel) if c.channel else -1,
            )
            for c in ceilings
        ]

    def relation(self, rows: list[tuple[int, int, int, int, bool]]) -> None:
        """`rows`: (day, row, nature, channel, skip at pressure) of one relation, by day."""
        queue = [(day, number) for number, (day, *_) in enumerate(rows)]
        heapq.heapify(queue)
        made: list[tuple[int, int, int]] = []  # (day, nature, channel) of what goes out
        while queue:
            day, number = heapq.heappop(queue)
            first, row, nature, channel, skip = rows[number]
            free = day if nature == self.thank else self._free_from(day, nature, channel, made)
            if free == day:
                made.append((day, nature, channel))
                if day != first:
                    self.changes.append((row, day, PLANNED))
            elif skip or free - first > GIVE_UP_DAYS:
                self.changes.append((row, first, PRESSURE))
            elif free > self.last:
                self.changes.append((row, free, NEXT_YEAR))
            else:
                heapq.heappush(queue, (free, number))

    def _free_from(
        self, day: int, nature: int, channel: int, made: list[tuple[int, int, int]]
    ) -> int:
        """The first day from `day` on when a contact fits under every ceiling in its scope."""
        free = day
        for limit, period, on_nature, on_channel in self.ceilings:
            if on_nature != -1:
                if on_nature != nature:
                    continue
                window = sorted(d for d, n, _ in made if d > day - period and n == nature)
            else:
                if on_channel != channel:
                    continue
                window = sorted(d for d, _, c in made if d > day - period and c == channel)
            if len(window) >= limit:
                # Enough of them must leave the window: the oldest that must go sets the day.
                free = max(free, window[len(window) - limit] + period)
        return free


def week_of(ordinal: int) -> str:
    """The ISO week a day falls in, as '2026-W49'."""
    year, week, _ = date.fromordinal(ordinal).isocalendar()
    return f"{year}-W{week:02d}"


def monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def months_of(days: Ints) -> Ints:
    """0..11 for each date ordinal."""
    return (days - EPOCH).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12


def year_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range(366 if isleap(year) else 365)]
