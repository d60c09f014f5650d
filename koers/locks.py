"""Database-wide locks for the steps that work on the whole base.

Several workers may share one PostgreSQL database (docs/journeys.md, "Workers"). A step
that rewrites a whole table or plans for everyone must not run twice at once: it takes an
advisory lock, which PostgreSQL releases by itself when the connection ends, so a worker
that dies never leaves one behind. SQLite allows one writer at a time, which is lock
enough: there every lock is granted at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

# One number per step; any constant will do as long as no two steps share one.
PLANNER = 720_411
FACTS = 720_412
RECONCILE = 720_413


@contextmanager
def held_or_skipped(key: int) -> Iterator[bool]:
    """Take the lock if nobody has it and yield True; yield False if another process has it.

    For steps another worker can do just as well: the second one skips, it does not wait."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            _unlock(key)


def _unlock(key: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError:
        # The connection broke: the server ended the session, and the lock with it. The
        # error that broke it is the one worth reporting, so this one is not raised.
        if connection.is_usable():
            raise


def wait_in_transaction(key: int) -> None:
    """Wait for the lock inside the current transaction; it is released at commit or rollback.

    For steps whose callers each need the work done (a facts refresh after an import)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
