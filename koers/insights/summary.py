"""Keep the giving summary (relation x month) current, set-based.

A full rebuild reads every gift once. After an import or a day's gifts only the relations
whose gifts were created since the watermark are summed again: their rows are deleted and
inserted in one statement each, so the update costs the new gifts' relations, not the base.
Running either twice gives the same rows (docs/insights.md).
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from koers import locks

_INSERT = """
INSERT INTO insights_givingsummary (relation_id, month, gifts, cents)
SELECT relation_id, {month} AS month, COUNT(*), SUM(amount_cents)
FROM giving_gift {where}
GROUP BY relation_id, {month}
"""
_TOUCHED = "SELECT DISTINCT relation_id FROM giving_gift WHERE created_at >= %(since)s"


def _month_sql() -> str:
    """YYYYMM of the gift's date as an integer, in each database's own terms."""
    if connection.vendor == "postgresql":
        return (
            "CAST(EXTRACT(YEAR FROM received_on) * 100"
            " + EXTRACT(MONTH FROM received_on) AS INTEGER)"
        )
    return "CAST(substr(received_on, 1, 4) || substr(received_on, 6, 2) AS INTEGER)"


def rebuild_summary() -> int:
    """Sum every gift again; return the number of summary rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        locks.wait_in_transaction(locks.FACTS)
        cursor.execute("DELETE FROM insights_givingsummary")
        cursor.execute(_INSERT.format(month=_month_sql(), where=""))
        rows = int(cursor.rowcount)
        _set_watermark(cursor)
        return rows


def refresh_summary() -> int:
    """Sum again the relations with gifts created since the watermark; return how many.
    Without a watermark (never built) this is a full rebuild."""
    with transaction.atomic(), connection.cursor() as cursor:
        locks.wait_in_transaction(locks.FACTS)
        cursor.execute("SELECT gifts_seen_until FROM insights_summarystate WHERE id = 1")
        row = cursor.fetchone()
        if row is None or row[0] is None:
            cursor.execute("DELETE FROM insights_givingsummary")
            cursor.execute(_INSERT.format(month=_month_sql(), where=""))
            _set_watermark(cursor)
            cursor.execute("SELECT COUNT(DISTINCT relation_id) FROM insights_givingsummary")
            return int(cursor.fetchone()[0])
        # Gifts of one import share a creation time: `>=` takes the last batch again,
        # which is harmless (the rows are replaced) and never misses a gift.
        params = {"since": row[0]}
        touched = f"relation_id IN ({_TOUCHED})"
        cursor.execute(f"DELETE FROM insights_givingsummary WHERE {touched}", params)
        cursor.execute(_INSERT.format(month=_month_sql(), where=f"WHERE {touched}"), params)
        cursor.execute(f"SELECT COUNT(*) FROM ({_TOUCHED}) t", params)
        count = int(cursor.fetchone()[0])
        _set_watermark(cursor)
        return count


def _set_watermark(cursor: CursorWrapper) -> None:
    cursor.execute("SELECT MAX(created_at) FROM giving_gift")
    newest: datetime | str | None = cursor.fetchone()[0]
    cursor.execute("DELETE FROM insights_summarystate")
    cursor.execute(
        "INSERT INTO insights_summarystate (id, gifts_seen_until) VALUES (1, %s)", [newest]
    )
