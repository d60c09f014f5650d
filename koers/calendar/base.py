"""Read the relation base, the ceilings and the journeys' thank-yous for the forecast.

Everything comes out of the database as whole numbers in a few streamed queries (dates as
day numbers computed by the database), so a million relations fill the arrays without a
Python object per date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from koers.calendar.dates import on_day
from koers.calendar.forecast import CHANNELS, PREFERENCES, Base, Ceiling, Extra
from koers.groups.facts import local_today
from koers.groups.models import Group, Level
from koers.groups.queries import compile_rule
from koers.relations.choices import RelationStatus
from koers.relations.models import Consent, Relation
from koers.touchpoints.choices import CHANNEL_KEYS, COST_CENTS, MINUTES, Channel
from koers.touchpoints.forecasts import forecasters
from koers.touchpoints.models import Ceiling as CeilingRow
from koers.touchpoints.queries import BASES, address_filter

CHUNK = 50_000
# Rows per fetch while reading the base.
FETCH = 10_000


def addresses() -> dict[str, tuple[str, ...]]:
    """Per consent channel (email, post, phone, sms) the address fields of the channels
    that need it, as the channels declare them (KOERS_CHANNELS)."""
    found: dict[str, tuple[str, ...]] = {}
    for key in CHANNEL_KEYS:
        kind = Channel(key)
        if kind.consent:
            found.setdefault(str(kind.consent), tuple(kind.address_fields))
    return found


class DayNumber(Func):
    """A date as its proleptic Gregorian ordinal (date.toordinal()), computed in SQL."""

    output_field = IntegerField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(julianday({sql}) - 1721424.5 AS INTEGER)", params

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} - DATE '0001-01-01' + 1)", params


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


COLUMNS: dict[str, Any] = {
    "c_id": F("id"),
    "c_preferred": Case(
        *[When(preferred_channel=name, then=Value(i)) for i, name in enumerate(PREFERENCES) if i],
        default=Value(0),
        output_field=IntegerField(),
    ),
    "c_level": Coalesce("facts__level_id", Value(0)),
    "c_first": Coalesce(DayNumber("facts__first_gift_on"), Value(0)),
    "c_mandate": Coalesce(DayNumber("facts__mandate__start_date"), Value(0)),
    "c_birth": Coalesce(DayNumber("birth_date"), Value(0)),
    "c_total": Coalesce("facts__gifts_cents", Value(0)),
    "c_count": Coalesce("facts__gifts_count", Value(0)),
    "c_total12": Coalesce("facts__gifts_12m_cents", Value(0)),
    "c_count12": Coalesce("facts__gifts_12m_count", Value(0)),
}


def load_base(now: datetime | None = None) -> Base:
    """The active relations with what the forecast needs, as arrays in id order.

    One statement reads every column, group membership and legal basis included, and its
    rows are fetched raw: Django's per-value converters cost more than the query itself."""
    now = now or timezone.now()
    groups = list(Group.objects.order_by("name"))
    columns = {
        **COLUMNS,
        **{f"c_{kind}": _flag(address_filter(fields, "")) for kind, fields in addresses().items()},
        **{f"g_{n}": _flag(compile_rule(g.rule, now)) for n, g in enumerate(groups)},
        **{f"k_{kind}": _flag(Q(Exists(_consents(kind, now)))) for kind in addresses()},
    }
    rows = (
        Relation.objects.filter(status=RelationStatus.ACTIVE)
        .order_by("id")
        .annotate(**columns)
        .values_list(*columns)
    )
    table = _fetch(rows, len(columns), rows.count())
    column = {name: table[i] for i, name in enumerate(columns)}
    levels = list(Level.objects.order_by("min_annual_cents").values_list("id", "name"))
    level_index = np.full(max([pk for pk, _ in levels], default=0) + 1, -1, np.int64)
    for index, (pk, _) in enumerate(levels):
        level_index[pk] = index
    return Base(
        ids=column["c_id"],
        groups={g.key: column[f"g_{n}"] == 1 for n, g in enumerate(groups)},
        group_names={g.key: g.name for g in groups},
        level=level_index[column["c_level"]],
        levels=tuple(name for _, name in levels),
        reach={k: (column[f"k_{k}"] == 1) & (column[f"c_{k}"] == 1) for k in addresses()},
        preferred=column["c_preferred"],
        first_gift=column["c_first"],
        mandate_start=column["c_mandate"],
        birth=column["c_birth"],
        gifts_cents=column["c_total"],
        gifts_count=column["c_count"],
        gifts_12m_cents=column["c_total12"],
        gifts_12m_count=column["c_count12"],
        today=local_today(now),
    )


def _fetch(rows: QuerySet[Any, Any], width: int, count: int) -> Any:
    """The rows as a (width x count) array of whole numbers, one column per row of it,
    filled in small batches: a batch of rows is a Python object per value."""
    sql, params = rows.query.sql_with_params()
    table = np.zeros((width, count), np.int64)
    done = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while (batch := cursor.fetchmany(FETCH)) and done < count:
            block = np.array(batch, np.int64).T[:, : count - done]
            table[:, done : done + block.shape[1]] = block
            done += block.shape[1]
    return table[:, :done]


def _consents(channel: str, now: datetime) -> QuerySet[Consent]:
    """The relation's consents for `channel` that allow contact now."""
    return Consent.objects.filter(
        relation=OuterRef("pk"), channel=channel, basis__in=BASES[channel]
    ).filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now))


def load_ceilings() -> list[Ceiling]:
    return [
        Ceiling(row.limit, row.period_days, row.nature, row.channel)
        for row in CeilingRow.objects.all()
    ]


def journey_extras(
    base: Base,
    year: int,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Extra]:
    """The thank-yous (and any appreciation) other planners (the active journeys) will make
    in `year` (koers.touchpoints.forecasts): each of last year's contacts is placed on the
    same day of `year`, last year's pace as the forecast of this one."""
    now = now or timezone.now()
    rows: dict[tuple[str, str, str, bool], list[tuple[int, int, int]]] = defaultdict(list)
    for forecaster in forecasters():
        for found in forecaster.forecast(now, progress):
            for relation, day, channel, nature in found.contacts:
                placed = on_day(year, day.month, day.day)
                key = (found.source, nature, channel, found.personal)
                rows[key].append((relation, placed.toordinal(), CHANNELS.index(channel)))
    extras = []
    for (source, nature, channel, personal), found_rows in sorted(rows.items()):
        table = np.array(found_rows, np.int64)
        index = np.searchsorted(base.ids, table[:, 0])
        index = np.minimum(index, max(base.size - 1, 0))
        known = (base.ids[index] == table[:, 0]) if base.size else np.zeros(len(table), bool)
        count = int(known.sum())
        extras.append(
            Extra(
                source=source,
                nature=nature,
                intensity=1,
                rel=index[known],
                day=table[known, 1],
                channel=table[known, 2],
                cost_cents=np.full(count, COST_CENTS.get(channel, 0), np.int64),
                minutes=np.full(count, MINUTES.get(channel, 0), np.int64),
                personal=personal,
            )
        )
    return extras
