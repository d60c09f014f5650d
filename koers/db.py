"""A cursor for the statements a busy page runs on every request: planned once per connection.

Django's PostgreSQL backend binds parameters in the client, so PostgreSQL plans each
statement anew. For the answer page's read (five tables joined by key) planning took ten
times as long as running it. A cursor that binds on the server lets psycopg prepare a
statement after its fifth run on a connection and reuse the plan; Koers keeps connections
open (KOERS_DB_CONN_MAX_AGE), so the plan lives on. SQLite keeps a statement cache of its
own, so there the usual cursor serves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy costs a lookup
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    import psycopg

    db.ensure_connection()
    raw = psycopg.Cursor(db.connection)  # binds on the server, unlike Django's own cursors
    # Django's wrapper keeps what its own cursors give: errors as django.db errors, the
    # execute wrappers, and the query log when it is on.
    wrapper = CursorDebugWrapper if db.queries_logged else CursorWrapper
    with wrapper(raw, db) as cursor:
        yield cursor
