"""Set-based merge of the staging table into a target table: match, compare, update, insert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from koers.imports.staging import STAGE, changed_list, execute, fetch


@dataclass(frozen=True)
class Data:
    """One target column the file fills: the stage value, and what absent or empty means."""

    column: str
    stage: str  # stage column holding the value
    default: str  # SQL for a new row when the file has no value
    keep_when_empty: bool = False  # an empty cell keeps the current value instead of clearing


@dataclass(frozen=True)
class Target:
    table: str
    # SQL conditions between t (the target) and {s} (the stage), e.g. "t.reference = {s}.key";
    # each is tried in turn for rows not matched yet.
    match: tuple[str, ...]
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
    each extra pass over millions of staged rows costs seconds.
    """
    sets = "target_id = t.id, is_new = 1" if mark_new else "target_id = t.id"
    for number, condition in enumerate(target.match):
        extra = f" AND {STAGE}.target_id IS NULL" if only_unmatched or number else ""
        match = condition.format(s=STAGE)
        execute(f"UPDATE {STAGE} SET {sets} FROM {target.table} t WHERE {match}{extra}")


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
    kind: str, relation: str, occurred: str, data: str, where: str, params: dict[str, Any]
) -> int:
    return execute(
        "INSERT INTO relations_event (relation_id, kind, occurred_at, recorded_at, source, data) "
        f"SELECT {relation}, '{kind}', {occurred}, %(now)s, 'import', {data} "
        f"FROM {STAGE} s WHERE {where} ORDER BY s.row_no",
        params,
    )
