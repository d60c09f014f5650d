"""The insights benchmark runs tiny here, so that it keeps working; no time is asserted."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "insights.py"


@pytest.mark.django_db
def test_the_insights_benchmark_runs_on_a_tiny_base(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCH.parent))  # its helper, bench/bench_figures.py
    spec = importlib.util.spec_from_file_location("bench_insights", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.run(relations=60, gifts=3)
    assert set(figures) >= {"rebuild", "daily", "dashboard_p95", "scan", "dashboard_ratio"}
    assert "60 relations, 180 gifts" in capsys.readouterr().out
