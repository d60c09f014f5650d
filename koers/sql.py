"""SQL the planner needs beyond the ORM: INSERT ... SELECT, and date arithmetic done natively."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, QuerySet
from django.db.models.sql.compiler import SQLCompiler


def insert_select(model: type[models.Model], columns: dict[str, Any], rows: QuerySet[Any]) -> int:
    """Insert one row per row of `rows`, with `columns` as {column: expression}.

    The whole set is one statement; a row whose unique key is taken is skipped,
    which is what makes planning safe to repeat after a crash.
    """
    names = [f"c{i}" for i in range(len(columns))]
    query = rows.annotate(**dict(zip(names, columns.values(), strict=True))).values(*names)
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a condition that matches nothing, such as an empty id list
        return 0
    quote = connection.ops.quote_name
    target = f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    if connection.vendor == "sqlite":
        statement = f"INSERT OR IGNORE INTO {target} {sql}"
    else:
        statement = f"INSERT INTO {target} {sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


class Shifted(Func):
    """A date-time expression plus a duration: `Shifted(F("entered_at"), timedelta(days=1))`.

    The same as `F("entered_at") + timedelta(days=1)`, which on SQLite calls back into
    Python for every row: the planner does this for hundreds of thousands of rows a tick.
    On SQLite a whole number of seconds is added with its own datetime(), and the fraction
    of a second is kept (Django stores date-times there as 'YYYY-MM-DD HH:MM:SS[.ffffff]').
    Other databases do the sum natively already.
    """

    output_field = models.DateTimeField()

    def __init__(self, expression: Any, delta: timedelta) -> None:
        whole = delta.microseconds == 0
        self.seconds = int(delta.total_seconds()) if whole else None
        super().__init__(expression, expression + delta)

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        return compiler.compile(self.source_expressions[1])

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        if self.seconds is None:
            return self.as_sql(compiler, connection, **extra)
        sql, params = compiler.compile(self.source_expressions[0])
        moved = f"{self.seconds:+d} seconds"
        # The whole seconds and the fraction apart: datetime() would round 59.9999995 up.
        whole = f"datetime(substr({sql}, 1, 19), %s)"
        return f"({whole} || substr({sql}, 20))", (*params, moved, *params)
