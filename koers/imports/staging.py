"""The staging table an import loads into before it merges, and the SQL both databases share.

Rows are loaded in bulk (executemany on SQLite, COPY on PostgreSQL) into a temporary
table; checks, matching and the merge are then a handful of set-based statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import connection

STAGE = "import_stage"
# The relations whose facts the import changed: refreshed after the merge (docs/facts.md).
TOUCHED = "import_touched"

# Column types of the staging table, per vendor.
TYPES = {
    "text": ("TEXT", "text"),
    "int": ("INTEGER", "bigint"),
    "date": ("TEXT", "date"),
    "datetime": ("TEXT", "timestamptz"),
}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def create_stage(columns: Sequence[tuple[str, str]]) -> None:
    pg = is_postgres()
    body = ", ".join(f"{name} {TYPES[kind][1 if pg else 0]}" for name, kind in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {'' if pg else 'temp.'}{STAGE}")
        # Room in every page lets PostgreSQL update staged rows in place (HOT updates)
        # as they are matched and marked, instead of rewriting each row elsewhere.
        suffix = " WITH (fillfactor = 40) ON COMMIT DROP" if pg else ""
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({body}){suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {'' if pg else 'temp.'}{TOUCHED}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TOUCHED} (relation_id {TYPES['int'][1 if pg else 0]} "
            f"PRIMARY KEY){' ON COMMIT DROP' if pg else ''}"
        )


def drop_stage() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {TOUCHED}")


def touch(relation: str, source: str, where: str) -> None:
    """Record the relations (the SQL `relation` over `source`) whose facts may change."""
    execute(
        f"INSERT INTO {TOUCHED} (relation_id) SELECT {relation} FROM {source} "
        f"WHERE {where} AND {relation} IS NOT NULL ON CONFLICT DO NOTHING"
    )


def load_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Bulk-load a batch of rows into the staging table with the database's fastest path."""
    connection.ensure_connection()
    raw: Any = connection.connection
    names = ", ".join(columns)
    if is_postgres():
        with raw.cursor() as cursor, cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        raw.executemany(f"INSERT INTO {STAGE} ({names}) VALUES ({marks})", rows)


def index_stage(*columns: str) -> None:
    with connection.cursor() as cursor:
        for number, column in enumerate(columns):
            cursor.execute(f"CREATE INDEX {STAGE}_i{number} ON {STAGE} ({column})")
        if not is_postgres():
            cursor.execute(f"ANALYZE temp.{STAGE}")
        else:
            cursor.execute(f"ANALYZE {STAGE}")


def execute(sql: str, params: dict[str, Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return int(cursor.rowcount)


def fetch(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return list(cursor.fetchall())


def differs(left: str, right: str) -> str:
    """Null-safe inequality."""
    return f"{left} IS DISTINCT FROM {right}" if is_postgres() else f"{left} IS NOT {right}"


def json_array_text(expr: str) -> str:
    """A text like '"a","b",' as a JSON array value."""
    array = f"'[' || rtrim({expr}, ',') || ']'"
    return f"({array})::jsonb" if is_postgres() else f"json({array})"


def changed_list(pairs: Sequence[tuple[str, str, str]]) -> str:
    """SQL text listing the names whose values differ, as '"name",' pieces."""
    pieces = [f"CASE WHEN {differs(t, s)} THEN '\"{name}\",' ELSE '' END" for name, t, s in pairs]
    return " || ".join(pieces) if pieces else "''"


def db_date(value: date | None) -> Any:
    # Called for every date cell: the vendor is looked up once per process, not per call.
    return value if value is None or _postgres() else value.isoformat()


@cache
def _postgres() -> bool:
    return is_postgres()


def db_datetime(value: datetime | None) -> Any:
    return None if value is None else connection.ops.adapt_datetimefield_value(value)
