"""Read the FEP counts from the giving summary in one set-based statement per question.

Periods are month ranges (YYYYMM): a calendar year Y is Y01..Y12 against (Y-1)01..(Y-1)12;
a rolling 12 months ending in month M is M-11..M against M-23..M-12.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from koers.groups.models import Group
from koers.groups.queries import members
from koers.insights.retention import COUNT_NAMES

BY = ("level", "campaign", "group")


@dataclass(frozen=True)
class Period:
    label: str
    first: int  # YYYYMM, the first month of Y
    last: int  # YYYYMM, the last month of Y

    @property
    def previous(self) -> tuple[int, int]:
        return add_months(self.first, -12), add_months(self.last, -12)


def add_months(month: int, count: int) -> int:
    index = (month // 100) * 12 + (month % 100 - 1) + count
    return (index // 12) * 100 + index % 12 + 1


def calendar_year(year: int) -> Period:
    return Period(str(year), year * 100 + 1, year * 100 + 12)


def rolling(last: int) -> Period:
    """The 12 months ending with month `last` (YYYYMM)."""
    first = add_months(last, -11)
    label = f"{first % 100:02d}-{first // 100}..{last % 100:02d}-{last // 100}"
    return Period(label, first, last)


_PER_RELATION = """
SELECT relation_id,
       SUM(CASE WHEN month BETWEEN %(p0)s AND %(p1)s THEN cents ELSE 0 END) AS prev,
       SUM(CASE WHEN month BETWEEN %(c0)s AND %(c1)s THEN cents ELSE 0 END) AS cur,
       MAX(CASE WHEN month < %(p0)s THEN 1 ELSE 0 END) AS earlier
FROM insights_givingsummary
WHERE month <= %(c1)s {only}
GROUP BY relation_id
"""
_COUNTS = """
SUM(CASE WHEN prev > 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN cur > 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND cur > 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN cur > 0 AND prev = 0 AND earlier = 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN cur > 0 AND prev = 0 AND earlier = 1 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND cur = 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND earlier = 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND earlier = 0 AND cur > 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND earlier = 1 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND earlier = 1 AND cur > 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev = 0 AND earlier = 1 THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND cur > prev THEN 1 ELSE 0 END),
SUM(CASE WHEN cur > 0 AND prev > cur THEN 1 ELSE 0 END),
SUM(CASE WHEN prev > 0 AND cur = prev THEN 1 ELSE 0 END),
SUM(prev),
SUM(cur),
SUM(CASE WHEN prev > 0 THEN cur ELSE 0 END),
SUM(CASE WHEN prev = 0 AND earlier = 0 THEN cur ELSE 0 END),
SUM(CASE WHEN prev = 0 AND earlier = 1 THEN cur ELSE 0 END),
SUM(CASE WHEN prev > 0 AND cur > prev THEN cur - prev ELSE 0 END),
SUM(CASE WHEN cur > 0 AND prev > cur THEN prev - cur ELSE 0 END),
SUM(CASE WHEN cur = 0 THEN prev ELSE 0 END)
"""
_SEGMENT = {
    "": ("''", ""),
    "level": (
        "COALESCE(l.key, '')",
        "LEFT JOIN groups_facts f ON f.relation_id = per.relation_id"
        " LEFT JOIN groups_level l ON l.id = f.level_id",
    ),
    "campaign": (
        "COALESCE((SELECT g.campaign FROM giving_gift g WHERE g.relation_id = per.relation_id"
        " ORDER BY g.received_on, g.id LIMIT 1), '')",
        "",
    ),
}


def retention_counts(period: Period, by: str = "") -> dict[str, dict[str, int]]:
    """The counts per segment (one segment '' without `by`); `by` is level, campaign or group."""
    if by == "group":
        return {group.key: _counts(period, "", group) for group in Group.objects.all()}
    key, join = _SEGMENT[by]
    params = _params(period)
    sql = (
        f"SELECT {key} AS segment, {_COUNTS} FROM ({_PER_RELATION.format(only='')}) per"
        f" {join} GROUP BY 1 ORDER BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result = {row[0]: _named(row[1:]) for row in rows}
    if not by and not result:
        result[""] = _named([0] * len(COUNT_NAMES))
    return result


def _counts(period: Period, key: str, group: Group | None) -> dict[str, int]:
    params = _params(period)
    only = ""
    if group is not None:
        inner, inner_params = members(group).values("pk").query.sql_with_params()
        only = f"AND relation_id IN ({inner.replace('%', '%%')})"
        for index, value in enumerate(inner_params):
            params[f"m{index}"] = value
        only = only.replace("%%s", "%s")
        only = _named_placeholders(only, len(inner_params))
    sql = f"SELECT {_COUNTS} FROM ({_PER_RELATION.format(only=only)}) per"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _named(cursor.fetchone())


def _named_placeholders(sql: str, count: int) -> str:
    for index in range(count):
        sql = sql.replace("%s", f"%(m{index})s", 1)
    return sql


def _params(period: Period) -> dict[str, Any]:
    p0, p1 = period.previous
    return {"p0": p0, "p1": p1, "c0": period.first, "c1": period.last}


def _named(row: Sequence[Any] | None) -> dict[str, int]:
    values = row or [0] * len(COUNT_NAMES)
    return {name: int(value or 0) for name, value in zip(COUNT_NAMES, values, strict=True)}


_LAPSING = """
SELECT CASE WHEN last.y = %(y1)s THEN 'lybunt' ELSE 'sybunt' END, COUNT(DISTINCT s.relation_id),
       SUM(s.cents)
FROM insights_givingsummary s
JOIN (SELECT relation_id, MAX(month) / 100 AS y FROM insights_givingsummary
      WHERE month <= %(m)s GROUP BY relation_id) last
  ON last.relation_id = s.relation_id AND s.month / 100 = last.y
WHERE last.y < %(y)s
GROUP BY 1
"""


def lapsing(today: date) -> dict[str, tuple[int, int]]:
    """LYBUNT and SYBUNT: (relations, euros at stake in cents). At stake is what they gave
    in the calendar year of their last gift: for LYBUNT last year's giving."""
    params = {"y": today.year, "y1": today.year - 1, "m": today.year * 100 + today.month}
    with connection.cursor() as cursor:
        cursor.execute(_LAPSING, params)
        found = {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}
    return {key: found.get(key, (0, 0)) for key in ("lybunt", "sybunt")}
