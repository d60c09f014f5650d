"""INSERT ... SELECT from a queryset, ignoring rows whose unique key already exists."""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models import QuerySet


def insert_select(model: type[models.Model], columns: dict[str, Any], rows: QuerySet[Any]) -> int:
    """Insert one row per row of `rows`, with `columns` as {column: expression}.

    The whole set is one statement; a row whose unique key is taken is skipped,
    which is what makes planning safe to repeat after a crash.
    """
    names = [f"c{i}" for i in range(len(columns))]
    query = rows.annotate(**dict(zip(names, columns.values(), strict=True))).values(*names)
    sql, params = query.query.sql_with_params()
    quote = connection.ops.quote_name
    target = f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    if connection.vendor == "sqlite":
        statement = f"INSERT OR IGNORE INTO {target} {sql}"
    else:
        statement = f"INSERT INTO {target} {sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)
