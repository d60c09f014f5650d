"""An import reports its time per phase, and tells a progress bar each phase it ends."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW


def test_the_json_report_gives_the_seconds_of_every_phase(
    db: None, write: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write("r.csv", "relatienummer;achternaam\nA;Aal\nB;Bos\n")

    call_command("import", "relations", str(path), "--json")

    report = json.loads(capsys.readouterr().out)
    assert list(report["phases"]) == ["read", "stage", "check", "merge", "facts"]
    assert all(seconds >= 0 for seconds in report["phases"].values())


def test_the_progress_bar_hears_each_phase_end_with_its_rows(
    db: None, write: Callable[..., Path]
) -> None:
    heard: list[tuple[str, int, bool]] = []

    def progress(phase: str, rows: int, done: float, total: float | None, end: bool) -> None:
        heard.append((phase, rows, end))

    import_file("relations", write("r.csv", "relatienummer\nA\nB\nC\n"), now=NOW, progress=progress)

    assert [h for h in heard if h[2]] == [
        ("read", 3, True),
        ("check", 3, True),
        ("merge", 3, True),
        ("facts", 3, True),
    ]
    assert ("read", 3, False) in heard
