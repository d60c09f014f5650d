"""The benchmarks cannot rot: each is in the smoke run, and the README shows their files."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_python_file_in_bench_is_a_smoked_benchmark_or_a_named_helper() -> None:
    smoke = bench_module("smoke")

    assert smoke.unlisted() == []
    assert all((BENCH / f"{name}.py").exists() for name in smoke.BENCHMARKS)


def test_the_readme_shows_exactly_the_figures_the_benchmarks_wrote() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "report.py"), "--check"], capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr


def test_a_run_is_shown_with_its_date_commit_machine_sizes_and_figures() -> None:
    report = bench_module("report")
    document = {
        "date": "2026-12-04 19:30 UTC",
        "commit": "0123456789ab",
        "machine": "2 cores",
        "sizes": {"db": "sqlite", "relations": 1_000_000},
        "figures": {"slowest daily tick (s)": 9.34, "moves": 420_000, "lost": 0},
    }

    shown = report.render(json.loads(json.dumps(document)))

    assert shown.splitlines() == [
        "Last run 2026-12-04 19:30 UTC, commit `0123456789ab`, 2 cores;"
        " db sqlite, relations 1,000,000:",
        "",
        "| figure | value |",
        "|---|---:|",
        "| slowest daily tick (s) | 9.3 |",
        "| moves | 420,000 |",
        "| lost | 0 |",
    ]


def test_a_block_in_the_readme_is_replaced_by_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = bench_module("report")
    monkeypatch.setattr(report, "FIGURES", tmp_path)
    (tmp_path / "x.json").write_text(
        json.dumps({"date": "d", "commit": "c", "machine": "m", "sizes": {}, "figures": {"a": 1}})
    )
    readme = "before\n<!-- figures: x -->\nold\n<!-- /figures -->\nafter\n"

    fresh = report.generated(readme)

    assert fresh == (
        "before\n<!-- figures: x -->\nLast run d, commit `c`, m; :\n\n| figure | value |\n"
        "|---|---:|\n| a | 1 |\n<!-- /figures -->\nafter\n"
    )
