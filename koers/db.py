"""A cursor for the statements a busy page runs on every request: planned once per connection.

Django's PostgreSQL backend binds parameters in the client, so PostgreSQL plans each
statement anew. For the answer page's read (five tables joined by key) planning took ten
times as long as running it. A cursor that binds on the server lets psycopg prepare a
statement after its fifth run on a connection and reuse the plan; Koers keeps connections
open (KOERS_DB_CONN_MAX_AGE), so the plan lives on. SQLite keeps a statement cache of its
own, so there the usual cursor serves.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy costs a lookup
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    import psycopg

    # What Django's own cursor() does first: one thread per connection, and a kept
    # connection checked (CONN_HEALTH_CHECKS) before its first use in a request, so a
    # database restart costs no failed request.
    db.validate_thread_sharing()
    db.close_if_health_check_failed()
    db.ensure_connection()
    raw = psycopg.Cursor(db.connection)  # binds on the server, unlike Django's own cursors
    # Django's wrapper keeps what its own cursors give: errors as django.db errors, the
    # execute wrappers, and the query log when it is on.
    wrapper = CursorDebugWrapper if db.queries_logged else CursorWrapper
    try:
        with wrapper(raw, db) as cursor:
            yield cursor
    except NotSupportedError:
        # "cached plan must not change result type": a migration changed a column that a
        # prepared statement reads. This connection's plans are stale: it is closed at the
        # end of the request, and the next one prepares afresh.
        db.close_at = time.monotonic()
        raise


def fetch_prepared(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of a prepared read. Outside a transaction a stale plan (see above) is
    retried once on a new connection, so a migration costs no failed request."""
    db = connections[DEFAULT_DB_ALIAS]
    for attempt in (1, 2):
        try:
            with prepared_cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        except NotSupportedError:
            if attempt == 2 or db.in_atomic_block:
                raise
            db.close()
    raise AssertionError("unreachable")
