"""A journey drawn in Excel: a sheet "klantreis" (field, value) and a sheet "stappen" with
one row per step, read into the same document as YAML and checked by the same
parse_definition. Every problem names its sheet and cell; nothing is written unless all
is well (see docs/journeys.md, *A journey from Excel*).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from koers.journeys.definition import DefinitionError, parse_definition
from koers.spreadsheet import Column, add_sheet, new_workbook

JOURNEY_SHEET, STEPS_SHEET = "klantreis", "stappen"
JOURNEY_FIELDS = (
    "key", "name", "phase", "group", "description", "owner", "status",
    "trigger_event", "trigger_where", "reentry", "max_age", "min_gap", "exit_when",
)  # fmt: skip
# The step columns; `when` and `then` hold a branch's rules and targets, one a line.
STEP_COLUMNS = (
    "key", "kind", "label", "next", "channel", "nature", "for", "since_entry", "event",
    "where", "timeout", "on_timeout", "when", "then", "else", "subject", "body", "script",
    "title", "role", "moment_of_truth", "deadline", "emotion", "goal", "owner", "backstage",
)  # fmt: skip
MAP_FIELDS = {"moment_of_truth", "deadline", "emotion", "goal", "owner", "backstage"}
CONTENT_FIELDS = {"subject", "body", "script", "title", "role"}
PLACE = re.compile(r"^stap '([^']+)'(?:\.map)?(?:\.content)?(?:\.(\w+))?")


class SheetError(DefinitionError):
    pass


def template() -> Workbook:
    """A blank workbook to draw a journey in."""
    book = new_workbook()
    add_sheet(book, JOURNEY_SHEET, [Column("veld", 18), Column("waarde", 50, wrap=True)],
              [[name, ""] for name in JOURNEY_FIELDS])  # fmt: skip
    add_sheet(book, STEPS_SHEET, [Column(name, 16, wrap=True) for name in STEP_COLUMNS], [])
    return book


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _journey(sheet: Any) -> dict[str, Any]:
    fields = {_text(row[0]): row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    data: dict[str, Any] = {
        name: _text(fields.get(name))
        for name in ("key", "name", "phase", "group", "description", "owner", "status")
        if _text(fields.get(name))
    }
    trigger: dict[str, Any] = {"event": _text(fields.get("trigger_event"))}
    for name, target in (("trigger_where", "where"), ("reentry", "reentry"),
                         ("max_age", "max_age")):  # fmt: skip
        if _text(fields.get(name)):
            trigger[target] = _text(fields.get(name))
    data["trigger"] = trigger
    if _text(fields.get("min_gap")):
        data["min_gap"] = _text(fields.get("min_gap"))
    exits = _text(fields.get("exit_when"))
    data["exit_when"] = [part.strip() for part in exits.split(",") if part.strip()]
    return data


def _step(values: dict[str, str]) -> dict[str, Any]:
    step: dict[str, Any] = {"key": values["key"], "kind": values["kind"]}
    content: dict[str, Any] = {}
    annotations: dict[str, Any] = {}
    for name, value in values.items():
        if not value or name in ("key", "kind", "when", "then"):
            continue
        if name in MAP_FIELDS:
            annotations[name] = _value(name, value)
        elif name in CONTENT_FIELDS:
            content[name] = value
        else:
            step[name] = int(value) if name == "holdout" else value
    if values.get("when"):
        rules, targets = values["when"].splitlines(), values.get("then", "").splitlines()
        step["branches"] = [
            {"when": rule, "next": targets[i] if i < len(targets) else ""}
            for i, rule in enumerate(rules)
        ]
    if content:
        step["content"] = content
    if annotations:
        step["map"] = annotations
    return step


def _value(name: str, value: str) -> Any:
    if name == "emotion":
        try:
            return int(value)
        except ValueError:
            return value
    if name == "moment_of_truth":
        return value.lower() in ("ja", "yes", "true", "1", "waar")
    return value


def read(path: Path) -> dict[str, Any]:
    """The journey document in the workbook; SheetError names every problem by cell."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is no workbook
        raise SheetError([f"{path.name}: geen Excel-werkmap ({error})"]) from None
    missing = [name for name in (JOURNEY_SHEET, STEPS_SHEET) if name not in book.sheetnames]
    if missing:
        raise SheetError([f"{path.name}: blad '{name}' ontbreekt" for name in missing])
    data = _journey(book[JOURNEY_SHEET])
    sheet = book[STEPS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = [_text(cell) for cell in rows[0]] if rows else []
    unknown = [
        f"{STEPS_SHEET}!{get_column_letter(i + 1)}1: onbekende kolom '{name}'"
        for i, name in enumerate(header)
        if name and name not in STEP_COLUMNS
    ]
    if unknown:
        raise SheetError(unknown)
    steps: list[dict[str, Any]] = []
    places: dict[str, tuple[int, dict[str, str]]] = {}
    for number, row in enumerate(rows[1:], start=2):
        values = {header[i]: _text(v) for i, v in enumerate(row) if i < len(header) and header[i]}
        if not any(values.values()):
            continue
        steps.append(_step(values))
        places[values.get("key", "")] = (number, values)
    data["steps"] = steps
    try:
        parse_definition(data)
    except DefinitionError as error:
        raise SheetError([_placed(p, header, places) for p in error.problems]) from None
    return data


def _placed(problem: str, header: list[str], places: dict[str, tuple[int, dict[str, str]]]) -> str:
    """'stap 'bel': ...' as 'stappen!D4: stap 'bel': ...': the cell of the field the problem
    names, or else of the value it quotes, or else the step's row."""
    match = PLACE.match(problem)
    if not match or match.group(1) not in places:
        return f"{JOURNEY_SHEET}: {problem}" if not problem.startswith("stap") else problem
    (row, values), field = places[match.group(1)], match.group(2) or ""
    rest = problem[match.end() :]
    if field not in header:
        quoted = [name for name, value in values.items() if value and f"'{value}'" in rest]
        field = quoted[0] if quoted and quoted[0] != "key" else ""
    column = header.index(field) + 1 if field in header else 1
    return f"{STEPS_SHEET}!{get_column_letter(column)}{row}: {problem}"
