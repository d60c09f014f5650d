"""Import a CRM export: validate the whole file first, then merge it set-based, all or nothing.

    import_file("gifts", Path("giften.csv"))

Nothing is written when any row is rejected; the report names every rejected row, its
column, its value and the problem. The rows, their events and the facts refresh that
follows them commit in one transaction: a process killed halfway leaves all or nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from koers.imports import withdrawals
from koers.imports.kinds import KINDS, Kind, noon
from koers.imports.reader import FileProblem, Limits, Source, open_source
from koers.imports.schema import SCHEMAS, Column
from koers.imports.staging import TOUCHED, create_stage, db_datetime, drop_stage, load_rows
from koers.imports.values import Problem, cell_problem, parse_date, shown

BATCH = 20_000

# Progress: called with the phase ("read", "check", "merge", "facts"), the rows so far,
# and the bytes of the file read and in all (total None when unknown) while reading; after
# each phase once more with `done` True and the phase's seconds in place of the bytes.
Progress = Callable[[str, int, float, float | None, bool], None]

# Called with the name of each stage an import reaches ("staged", "merged", "refreshed",
# "committed"), so a test can stop the process at a chosen point.
Checkpoint = Callable[[str], None]


def _no_checkpoint(stage: str) -> None:
    pass


def limits() -> Limits:
    return Limits(
        cell=settings.KOERS_IMPORT_MAX_CELL, xlsx_bytes=settings.KOERS_IMPORT_MAX_XLSX_MB << 20
    )


@dataclass
class RowError:
    row: int | None
    column: str
    value: str
    problem: str


@dataclass
class ImportReport:
    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # What the report says about rows that were imported (a withdrawal that stood, a
    # consent given again): the same shape as errors, and never a reason to reject.
    notices: list[RowError] = field(default_factory=list)
    notice_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    # Seconds per phase: read (the file read and every cell checked), stage (the bulk load),
    # check (unknown references and doubles, in the database), merge, facts.
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


class _Clock:
    """Splits an import's time into its phases, and tells the progress bar."""

    def __init__(self, report: ImportReport, progress: Progress | None) -> None:
        self.report, self.progress = report, progress
        self.started = time.perf_counter()

    def add(self, phase: str, seconds: float) -> None:
        self.report.phases[phase] = round(self.report.phases.get(phase, 0.0) + seconds, 3)

    def done(self, phase: str, besides: float = 0.0) -> None:
        """The phase that began when the previous one ended is over; `besides` is time in
        between that belongs to another phase."""
        now = time.perf_counter()
        self.add(phase, now - self.started - sum(self.report.phases.values()) - besides)
        if self.progress is not None:
            self.progress(phase, self.report.rows, self.report.phases[phase], None, True)


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a rejected file."""


class ImportError_(ValueError):
    """The kind or a --map entry is not usable; raised before the file is read."""


def check_mapping(kind: str, mapping: dict[str, str]) -> None:
    if kind not in SCHEMAS:
        raise ImportError_(f"onbekende soort import '{kind}'; kies uit {', '.join(SCHEMAS)}")
    fields = {c.field for c in SCHEMAS[kind]}
    for column, target in mapping.items():
        if target not in fields:
            raise ImportError_(
                f"--map {column}={target}: onbekend veld '{target}'; "
                f"velden voor {kind}: {', '.join(sorted(fields))}"
            )


class _Collector:
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.limit = settings.KOERS_IMPORT_MAX_ERRORS

    def add(self, row: int | None, column: str, value: str, problem: str) -> None:
        self.report.error_count += 1
        if len(self.report.errors) < self.limit:
            self.report.errors.append(RowError(row, column, shown(value), problem))

    def notice(self, row: int | None, column: str, value: str, words: str) -> None:
        self.report.notice_count += 1
        if len(self.report.notices) < self.limit:
            self.report.notices.append(RowError(row, column, value, words))


def _parse_rows(
    kind: Kind, source: Source, errors: _Collector, report: ImportReport
) -> Iterator[tuple[Any, ...]]:
    """Parse and check every row; yield the staged form of the good ones."""
    positions = list(source.columns.items())
    cap = settings.KOERS_IMPORT_MAX_CELL
    for row_no, cells in source.rows:
        report.rows += 1
        values: dict[str, Any] = {}
        bad = False
        for position, column in positions:
            text = cells[position].strip() if position < len(cells) else ""
            if not text:
                if column.required:
                    errors.add(row_no, source.headers[position], "", "verplicht veld is leeg")
                    bad = True
                else:
                    values[column.field] = None if _nullable(column) else ""
                continue
            if len(text) > cap or "\x00" in text:  # inline: this runs for every cell
                errors.add(row_no, source.headers[position], text, cell_problem(text, cap) or "")
                bad = True
                continue
            try:
                values[column.field] = column.parse(text)
            except Problem as problem:
                errors.add(row_no, source.headers[position], text, str(problem))
                bad = True
        if not bad:
            mistake = kind.row_check(values)
            if mistake:
                errors.add(row_no, _header(source, mistake[0]), "", mistake[1])
                continue
            yield kind.stage_row(row_no, values)


def _nullable(column: Column) -> bool:
    return column.parse is parse_date or column.field in (
        "kind",
        "language",
        "status",
        "preferred_channel",
        "country",
        "payment_channel",
        "external_id",
        "mandate",
        "touchpoint",
    )


def _header(source: Source, field_name: str) -> str:
    for position, column in source.columns.items():
        if column.field == field_name:
            return source.headers[position]
    return field_name


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _missing_required(kind: str, source: Source, errors: _Collector) -> bool:
    found = {column.field for column in source.columns.values()}
    missing = [c for c in SCHEMAS[kind] if c.required and c.field not in found]
    for column in missing:
        names = " of ".join(column.names[-1:] + column.names[:1])
        errors.add(1, names, "", "verplichte kolom ontbreekt")
    return bool(missing)


def _stage(kind: Kind, source: Source, errors: _Collector, clock: _Clock) -> None:
    """Read, check and load the rows in batches; the loading is timed apart as "stage"."""
    create_stage(kind.stage_columns)
    loading = 0.0
    for batch in _batches(_parse_rows(kind, source, errors, clock.report)):
        started = time.perf_counter()
        load_rows(kind.loaded, batch)
        loading += time.perf_counter() - started
        if clock.progress is not None:
            clock.progress("read", clock.report.rows, source.progress(), source.size, False)
    clock.done("read", besides=loading)
    clock.add("stage", loading)


def _run(
    kind_name: str,
    source: Source,
    report: ImportReport,
    now: datetime,
    *,
    dry_run: bool,
    refresh: bool,
    clock: _Clock,
    checkpoint: Checkpoint,
) -> None:
    kind = KINDS[kind_name]
    errors = _Collector(report)
    if _missing_required(kind_name, source, errors):
        return
    with transaction.atomic():
        try:
            _stage_all(kind, source, errors, clock)
            checkpoint("staged")
            present = {column.field for column in source.columns.values()}
            counts = kind.merge(present, {"now": db_datetime(now)})
            for row, name, value, words in kind.notices():
                errors.notice(row, _header(source, name), value, words)
            report.created, report.updated, report.unchanged = (
                counts["created"],
                counts["updated"],
                counts["unchanged"],
            )
            clock.done("merge")
            checkpoint("merged")
            if dry_run:
                raise _Rollback
            if refresh:
                _refresh_facts(now)
                clock.done("facts")
                checkpoint("refreshed")
        except _Rollback:
            transaction.set_rollback(True)
    drop_stage()  # SQLite keeps a committed temporary table until the connection closes
    if report.ok and not dry_run:
        checkpoint("committed")


def _stage_all(kind: Kind, source: Source, errors: _Collector, clock: _Clock) -> None:
    """Read, check and stage every row; raise _Rollback when anything was wrong."""
    report = clock.report
    try:
        _stage(kind, source, errors, clock)
    except FileProblem as stopped:  # the file stopped being readable partway
        errors.add(stopped.row, stopped.column, stopped.value, stopped.message)
        raise _Rollback from None
    if report.rows == 0 and report.error_count == 0:
        errors.add(None, "", "", "het bestand bevat geen rijen onder de kopregel")
    for row, name, value, problem in kind.checks():
        errors.add(row, _header(source, name), value, problem)
    clock.done("check")
    if report.error_count:
        raise _Rollback


def _refresh_facts(now: datetime) -> None:
    """The facts of the relations the import touched and the giving summary, in the import's
    own transaction: rows, facts and summary commit together."""
    from koers.groups.facts import refresh_touched_facts
    from koers.insights.summary import refresh_summary

    refresh_touched_facts(now, TOUCHED)
    refresh_summary()


def import_file(
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    refresh: bool = True,
    checkpoint: Checkpoint = _no_checkpoint,
) -> ImportReport:
    """Import one file; see the module docstring and `Progress`."""
    started = time.perf_counter()
    mapping = mapping or {}
    check_mapping(kind, mapping)
    now = now or timezone.now()
    report = ImportReport(kind=kind, file=str(path), dry_run=dry_run)
    noon.cache_clear()
    withdrawals.clear_cache()
    try:
        source = open_source(path, SCHEMAS[kind], mapping, limits())
    except FileProblem as problem:
        row_error = RowError(problem.row, problem.column, shown(problem.value), problem.message)
        report.error_count, report.errors = 1, [row_error]
        return report
    known = set(source.columns)
    report.ignored_columns = [
        h for i, h in enumerate(source.headers) if i not in known and h.strip()
    ]
    _run(
        kind,
        source,
        report,
        now,
        dry_run=dry_run,
        refresh=refresh,
        clock=_Clock(report, progress),
        checkpoint=checkpoint,
    )
    report.errors.sort(key=lambda e: (e.row or 0, e.column))
    report.seconds = round(time.perf_counter() - started, 3)
    return report
