"""Set-based merge of the staging table into a target table: match, compare, update, insert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from koers.imports.staging import STAGE, changed_list, execute, fetch, is_postgres, touch
from koers.relations.choices import EventSource
from koers.relations.events import EventType


@dataclass(frozen=True)
class Data:
    """One target column the file fills: the stage value, and what absent or empty means."""

    column: str
    stage: str  # stage column holding the value
    default: str  # SQL for a new row when the file has no value
    keep_when_empty: bool = False  # an empty cell keeps the current value instead of clearing


@dataclass(frozen=True)
class Key:
    """How a staged row finds its target row: equal columns, looked up through one index.

    `pairs` are (target column, stage column); `only` limits both sides to the rows the key
    applies to (a condition on `{t}`, the same on `{s}`), e.g. gifts without a gift number.
    `index` names the unique index to look the rows up through on SQLite.
    """

    pairs: tuple[tuple[str, str], ...]
    only: str = ""
    index: str = ""


@dataclass(frozen=True)
class Target:
    table: str
    # Each key is tried in turn for the rows not matched yet.
    match: tuple[Key, ...]
    data: tuple[Data, ...]
    timestamps: tuple[str, ...] = ()  # columns set to now on insert (and updated_at on update)


def _value(d: Data, present: bool) -> str:
    if not present:
        return d.default
    if d.keep_when_empty:
        return f"COALESCE(s.{d.stage}, {d.default})"
    return f"s.{d.stage}"


def resolve(target: Target, only_unmatched: bool = False, mark_new: bool = False) -> None:
    """Fill stage.target_id with the id of the existing row each staged row matches.

    After an insert, `mark_new` also flags the rows just inserted, in the same pass:
    each extra pass over millions of staged rows costs seconds. (After an insert every
    unmatched row has just been inserted, so every row a pass reaches is new.)
    """
    for number, key in enumerate(target.match):
        unmatched = only_unmatched or number > 0
        if is_postgres():
            _resolve_joined(target.table, key, unmatched, mark_new)
        else:
            _resolve_looked_up(target.table, key, unmatched, mark_new)


def _only(key: Key, alias: str) -> list[str]:
    return [key.only.format(t=alias)] if key.only else []


def _resolve_joined(table: str, key: Key, unmatched: bool, mark_new: bool) -> None:
    """PostgreSQL: one UPDATE ... FROM, which it runs as a hash join on the key's columns."""
    sets = "target_id = t.id, is_new = 1" if mark_new else "target_id = t.id"
    conditions = [f"t.{column} = {STAGE}.{stage}" for column, stage in key.pairs]
    conditions += _only(key, "t") + _only(key, STAGE)
    if unmatched:
        conditions.append(f"{STAGE}.target_id IS NULL")
    execute(f"UPDATE {STAGE} SET {sets} FROM {table} t WHERE {' AND '.join(conditions)}")


def _resolve_looked_up(table: str, key: Key, unmatched: bool, mark_new: bool) -> None:
    """SQLite: each staged row looks its target up through the key's index.

    A join lets SQLite's planner loop over the stage and search the target through any
    index a condition names; for gifts without a gift number it picked the unique index on
    the gift number (`external_id IS NULL`), which holds every such gift, and the import
    grew with the square of the file. A lookup through a named index cannot do that."""
    lookup = " AND ".join(
        [f"t.{column} = {STAGE}.{stage}" for column, stage in key.pairs] + _only(key, "t")
    )
    indexed = f" INDEXED BY {key.index}" if key.index else ""
    found = f"(SELECT t.id FROM {table} AS t{indexed} WHERE {lookup})"
    conditions = _only(key, STAGE) or ["1 = 1"]
    if unmatched:
        conditions.append(f"{STAGE}.target_id IS NULL")
    if mark_new:
        sets = f"target_id = {found}, is_new = 1"
    else:
        # Rows without a match keep their NULL; the lookup runs once per staged row.
        sets = f"target_id = COALESCE({found}, target_id)"
    execute(f"UPDATE {STAGE} SET {sets} WHERE {' AND '.join(conditions)}")


def mark_changes(target: Target, present: set[str]) -> None:
    """Record per matched row which columns the file would change, as '"col",' pieces."""
    pairs = []
    for d in target.data:
        if d.stage not in present:
            continue
        new = f"{STAGE}.{d.stage}"
        if d.keep_when_empty:
            new = f"COALESCE({new}, t.{d.column})"
        pairs.append((d.column, f"t.{d.column}", new))
    execute(
        f"UPDATE {STAGE} SET changed = {changed_list(pairs)} "
        f"FROM {target.table} t WHERE t.id = {STAGE}.target_id"
    )


def counts() -> dict[str, int]:
    rows = fetch(
        f"SELECT SUM(CASE WHEN target_id IS NULL THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN target_id IS NOT NULL AND changed <> '' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN target_id IS NOT NULL AND changed = '' THEN 1 ELSE 0 END) FROM {STAGE}"
    )
    created, updated, unchanged = (int(v or 0) for v in rows[0])
    return {"created": created, "updated": updated, "unchanged": unchanged}


def touch_rows(target: Target) -> None:
    """The relations of the rows the file adds or changes: call after the insert. A changed
    row's relation before the change counts too: call `touch_before` before the update."""
    touch("s.relation_id", f"{STAGE} s", "(s.is_new = 1 OR s.changed <> '')")


def touch_before(target: Target) -> None:
    touch(
        "t.relation_id", f"{target.table} t JOIN {STAGE} s ON s.target_id = t.id", "s.changed <> ''"
    )


def update(target: Target, present: set[str], params: dict[str, Any]) -> None:
    sets = [
        f"{d.column} = "
        + (f"COALESCE(s.{d.stage}, t.{d.column})" if d.keep_when_empty else f"s.{d.stage}")
        for d in target.data
        if d.stage in present
    ]
    if "updated_at" in target.timestamps:
        sets.append("updated_at = %(now)s")
    execute(
        f"UPDATE {target.table} AS t SET {', '.join(sets)} FROM {STAGE} s "
        "WHERE s.target_id = t.id AND s.changed <> ''",
        params,
    )


def insert(target: Target, present: set[str], params: dict[str, Any], keys: dict[str, str]) -> None:
    """Insert the unmatched rows; `keys` are target columns always taken from the stage."""
    columns = [*keys, *(d.column for d in target.data), *target.timestamps]
    values = [
        *(f"s.{stage}" for stage in keys.values()),
        *(_value(d, d.stage in present) for d in target.data),
        *("%(now)s" for _ in target.timestamps),
    ]
    execute(
        f"INSERT INTO {target.table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {STAGE} s WHERE s.target_id IS NULL ORDER BY s.row_no",
        params,
    )
    resolve(target, only_unmatched=True, mark_new=True)


def add_events(
    event: EventType,
    relation: str,
    occurred: str,
    values: dict[str, str],
    where: str,
    params: dict[str, Any],
) -> int:
    """Write one event per staged row matching `where`, through the event's one definition."""
    sql = event.insert_select(
        relation=relation,
        occurred=occurred,
        values=values,
        rows=f"FROM {STAGE} s WHERE {where}",
        source=EventSource.IMPORT,
        order="s.row_no",
    )
    return execute(sql, params)
