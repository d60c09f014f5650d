"""Set-based refresh of per-relation facts (kenmerken).

One refresh is a handful of SQL statements over all relations at once: no Python loop
per relation, so it scales to millions of relations on SQLite and PostgreSQL alike.
Boundary dates are computed here and passed as parameters, because SQLite stores dates
as ISO text and has no date arithmetic that PostgreSQL shares.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from koers import locks
from koers.giving.choices import GiftKind, MandateStatus

# One INSERT computes every figure: each pass that UPDATEs a million rows afterwards
# costs seconds (PostgreSQL rewrites every updated row), so scores, tenure and level are
# computed in the same SELECT. Annual support is the active mandate per year plus the gifts
# of the last 12 months that did not come through a mandate (`loose12`): its collections
# are already in the mandate's amount. Without an active mandate everything given in the
# 12 months counts (docs/facts.md). `{only}` limits the relations (and the gifts and
# mandates read) to those an import touched; the full refresh leaves it empty.
_REFRESH = """
INSERT INTO groups_facts (
    relation_id, first_gift_on, last_gift_on, gifts_count, gifts_cents,
    gifts_12m_count, gifts_12m_cents, largest_gift_cents, mandate_id,
    mandate_annual_cents, tenure_years, recency_score, frequency_score,
    monetary_score, annual_support_cents, level_id, refreshed_at
)
SELECT id, first_on, last_on, n, total, n12, total12, largest, mandate_id, annual,
       CASE WHEN first_on IS NULL THEN 0 ELSE {tenure} END,
       {scores},
       support,
       (SELECT l.id FROM groups_level l WHERE l.min_annual_cents <= support
        ORDER BY l.min_annual_cents DESC LIMIT 1),
       %(now)s
FROM (
    SELECT r.id, g.first_on, g.last_on, COALESCE(g.n, 0) AS n, COALESCE(g.total, 0) AS total,
           COALESCE(g.n12, 0) AS n12, COALESCE(g.total12, 0) AS total12,
           COALESCE(g.largest, 0) AS largest, m.id AS mandate_id,
           COALESCE(m.annual, 0) AS annual,
           CASE WHEN m.id IS NULL THEN COALESCE(g.total12, 0)
                ELSE COALESCE(g.loose12, 0) + m.annual END AS support
    FROM relations_relation r
    LEFT JOIN (
        SELECT relation_id, MIN(received_on) AS first_on, MAX(received_on) AS last_on,
               COUNT(*) AS n, SUM(amount_cents) AS total, MAX(amount_cents) AS largest,
               SUM(CASE WHEN received_on > %(since)s THEN 1 ELSE 0 END) AS n12,
               SUM(CASE WHEN received_on > %(since)s THEN amount_cents ELSE 0 END) AS total12,
               SUM(CASE WHEN received_on > %(since)s AND mandate_id IS NULL
                             AND kind <> %(recurring)s THEN amount_cents ELSE 0 END) AS loose12
        FROM giving_gift WHERE received_on <= %(today)s {only_gifts} GROUP BY relation_id
    ) g ON g.relation_id = r.id
    LEFT JOIN (
        SELECT id, relation_id, annual FROM (
            SELECT id, relation_id,
                   amount_cents * CASE frequency WHEN 'monthly' THEN 12
                                                 WHEN 'quarterly' THEN 4 ELSE 1 END AS annual,
                   ROW_NUMBER() OVER (PARTITION BY relation_id
                                      ORDER BY start_date DESC, id DESC) AS rank
            FROM giving_mandate
            WHERE status = %(active)s AND start_date <= %(today)s {only_mandates}
        ) ranked WHERE rank = 1
    ) m ON m.relation_id = r.id
    {only_relations}
) base
"""


def _quintile(order: str, given: str) -> str:
    """1 to 5 among givers: the fifth of the givers this value falls in, 5 the highest.

    Equal values get the same score: RANK gives ties the rank of the first of them (NTILE
    split them by relation number, so two identical donors could land in different groups).
    """
    window = f"PARTITION BY {given} > 0"
    return (
        f"CASE WHEN {given} > 0 THEN 1 + 5 * (RANK() OVER ({window} ORDER BY {order}) - 1)"
        f" / COUNT(*) OVER ({window}) END"
    )


def _scores(last: str, count: str, total: str) -> list[str]:
    """Recency, frequency and monetary scores over the given columns, in one pass."""
    return [_quintile(last, count), _quintile(count, count), _quintile(total, count)]


# The scores of every relation, computed in one pass over the facts once an import has
# refreshed the figures of the relations it touched; only changed scores are written.
_RESCORE = """
UPDATE groups_facts SET recency_score = x.r, frequency_score = x.f, monetary_score = x.m
FROM (
    SELECT relation_id, {scores} FROM groups_facts
) x
WHERE x.relation_id = groups_facts.relation_id
  AND ({changed})
"""


def _tenure_sql() -> str:
    """Completed years from the first gift to today, in each database's own terms."""
    if connection.vendor == "postgresql":
        return "EXTRACT(YEAR FROM AGE(%(today)s::date, first_on))::int"
    # Whole years from the ISO text: year difference, minus one before the anniversary.
    return (
        "(CAST(substr(%(today)s, 1, 4) AS INTEGER) - CAST(substr(first_on, 1, 4) AS INTEGER)"
        " - (substr(%(today)s, 6, 5) < substr(first_on, 6, 5)))"
    )


def local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def year_before(day: date) -> date:
    """The same calendar day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def refresh_facts(now: datetime | None = None) -> int:
    """Recompute every relation's facts as of `now`; return the number of relations.

    Two refreshes at once would each delete and insert every row and collide on the key:
    a second one waits for the first (koers.locks) and then does its own."""
    now = now or timezone.now()
    return _refresh(now, only_if_stale=False) or 0


def refresh_facts_once_a_day(now: datetime) -> int | None:
    """What a worker does: refresh unless the facts were already refreshed today (local
    time), by another worker or an import. None when there was nothing to do."""
    return _refresh(now, only_if_stale=True)


def refresh_touched_facts(now: datetime, touched: str) -> int:
    """After an import: recompute the facts of the relations in the table `touched` (its
    column relation_id), then
    every relation's scores in one pass (they rank the whole base). Returns the number of
    relations recomputed.

    The other relations' facts stand only if they were computed for the same day: when
    the facts were last refreshed on an earlier day (or never), everything is recomputed.
    """
    params = _params(now)
    with transaction.atomic(), connection.cursor() as cursor:
        locks.wait_in_transaction(locks.FACTS)
        if _refreshed_on(cursor) != local_today(now):
            return _refresh_all(cursor, params)
        cursor.execute(f"SELECT 1 FROM {touched} LIMIT 1")
        if cursor.fetchone() is None:
            return 0  # nothing the facts are made of changed
        only = f"IN (SELECT relation_id FROM {touched})"
        cursor.execute(f"DELETE FROM groups_facts WHERE relation_id {only}")
        sql = _REFRESH.format(
            tenure=_tenure_sql(),
            scores="NULL, NULL, NULL",
            only_gifts=f"AND relation_id {only}",
            only_mandates=f"AND relation_id {only}",
            only_relations=f"WHERE r.id {only}",
        )
        cursor.execute(sql, params)
        count = int(cursor.rowcount)
        _rescore(cursor)
        return count


def _rescore(cursor: CursorWrapper) -> None:
    new = ("r", "f", "m")
    old = ("recency_score", "frequency_score", "monetary_score")
    scores = ", ".join(
        f"{expr} AS {name}"
        for expr, name in zip(
            _scores("last_gift_on", "gifts_count", "gifts_cents"), new, strict=True
        )
    )
    changed = " OR ".join(
        f"{_differs(f'x.{n}', f'groups_facts.{o}')}" for n, o in zip(new, old, strict=True)
    )
    cursor.execute(_RESCORE.format(scores=scores, changed=changed))


def _differs(left: str, right: str) -> str:
    if connection.vendor == "postgresql":
        return f"{left} IS DISTINCT FROM {right}"
    return f"{left} IS NOT {right}"


def _params(now: datetime) -> dict[str, Any]:
    today = local_today(now)
    ops = connection.ops
    return {
        "now": ops.adapt_datetimefield_value(now),
        "today": ops.adapt_datefield_value(today),
        "since": ops.adapt_datefield_value(year_before(today)),
        "active": MandateStatus.ACTIVE.value,
        "recurring": GiftKind.RECURRING.value,
    }


def _refresh(now: datetime, *, only_if_stale: bool) -> int | None:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # The window functions sort every relation three times; in memory that is
        # seconds faster than temporary files (a few hundred MiB for a million relations).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA temp_store = MEMORY")
    with transaction.atomic(), connection.cursor() as cursor:
        locks.wait_in_transaction(locks.FACTS)
        if only_if_stale and _refreshed_on(cursor) == local_today(now):
            return None
        return _refresh_all(cursor, _params(now))


def _refresh_all(cursor: CursorWrapper, params: dict[str, Any]) -> int:
    cursor.execute("DELETE FROM groups_facts")
    sql = _REFRESH.format(
        tenure=_tenure_sql(),
        scores=", ".join(_scores("last_on", "n", "total")),
        only_gifts="",
        only_mandates="",
        only_relations="",
    )
    cursor.execute(sql, params)
    return int(cursor.rowcount)


def _refreshed_on(cursor: CursorWrapper) -> date | None:
    """The local day of the last refresh. A refresh writes one time into every row, so any
    row will do (one with the latest time would read them all)."""
    cursor.execute("SELECT refreshed_at FROM groups_facts LIMIT 1")
    row = cursor.fetchone()
    if row is None:
        return None
    value = row[0]
    if isinstance(value, str):  # SQLite returns the stored text
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, ZoneInfo("UTC"))
    return local_today(value)
