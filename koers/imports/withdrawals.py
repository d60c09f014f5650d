"""A withdrawn consent stays withdrawn unless the file gives it again later.

A CRM export is often older than what happened in Koers: someone unsubscribed through a
link in an e-mail, and the next export still lists their consent without a withdrawal.
Importing that must not bring the consent back. For a consent that is withdrawn in Koers:

- the file's row gives consent on a later day than the withdrawal: given again. The row is
  imported as it is (withdrawn again only if the file says so) and writes consent.given;
- otherwise: the withdrawal stands. The other columns are imported, the withdrawal keeps its
  date (or the file's, if that is earlier).

Either way the report names the row. "A later day" is counted in Koers' time zone: a file
holds days, and on the day of the withdrawal itself nobody can tell which came first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from koers.imports.staging import STAGE, db_datetime, execute

REGRANTED = "regranted"
STOOD = "stood"
STAGE_COLUMNS = (
    ("given_day_ts", "datetime"),  # the first moment of the file's day of consent
    ("stored_withdrawn_ts", "datetime"),  # the withdrawal in Koers before the import
    ("sticky", "text"),  # REGRANTED, STOOD or NULL
)


@cache
def _day_start(day: date) -> Any:
    return db_datetime(datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)))


def clear_cache() -> None:
    """Forget the days worked out so far (the time zone may differ between imports)."""
    _day_start.cache_clear()


def computed(given_at: date) -> list[Any]:
    """The staged values of STAGE_COLUMNS for one row, before the merge looks them up."""
    return [_day_start(given_at), None, None]


def decide() -> None:
    """Mark each staged row that meets a withdrawal in Koers, and keep the withdrawal where
    it stands. A day's first moment after the withdrawal means a later day."""
    execute(
        f"UPDATE {STAGE} SET sticky = CASE "
        f"WHEN given_day_ts > stored_withdrawn_ts THEN '{REGRANTED}' "
        "WHEN withdrawn_at_ts IS NULL OR withdrawn_at_ts > stored_withdrawn_ts "
        f"THEN '{STOOD}' END WHERE stored_withdrawn_ts IS NOT NULL"
    )
    execute(f"UPDATE {STAGE} SET withdrawn_at_ts = stored_withdrawn_ts WHERE sticky = '{STOOD}'")


def notices() -> Iterator[tuple[int, str, str, str]]:
    """(row, field, value, words) for each row given again and each withdrawal that stood.
    Read in batches: a file may meet many withdrawals, and the report lists only so many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT row_no, given_at, stored_withdrawn_ts, sticky FROM {STAGE} "
            "WHERE sticky IS NOT NULL ORDER BY row_no"
        )
        while batch := cursor.fetchmany(10_000):
            for row, given, withdrawn, sticky in batch:
                yield int(row), "given_at", _day(given), _words(sticky, _local_day(withdrawn))


def _words(sticky: str, since: str) -> str:
    if sticky == REGRANTED:
        return f"toestemming opnieuw gegeven, na de intrekking op {since}"
    return (
        f"de intrekking op {since} blijft staan: toestemming opnieuw geven kan alleen met een "
        "latere datum"
    )


def _day(value: date | str) -> str:
    """A staged date (a date from PostgreSQL, ISO text from SQLite) as 23-11-2026."""
    day = value if isinstance(value, date) else parse_date(str(value))
    return f"{day:%d-%m-%Y}" if day else str(value)


def _local_day(value: datetime | str) -> str:
    """A stored moment (aware from PostgreSQL, UTC text from SQLite) as its local day."""
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        return str(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, ZoneInfo("UTC"))
    return f"{timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)):%d-%m-%Y}"
