"""Every benchmark at a tiny size, so that none of them rots: part of `make test`.

    .venv/bin/python bench/smoke.py [NAME ...]

Runs each benchmark of bench/ with --smoke (a few seconds each, SQLite, its figures to
bench/out/smoke/) and fails when one fails. A Python file in bench/ that is neither a
benchmark nor a helper listed here fails the run too, so a new benchmark cannot be left out.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHMARKS = [
    "texts",
    "csv_reader",
    "engine",
    "calendar_forecast",
    "dispatch",
    "import_facts",
    "feedback",
    "year_overview",
    "insights",
]
HELPERS = {
    "bench_figures": "where the figures of a run go",
    "bench_naive": "the engine benchmark's naive baseline",
    "wsgi_floor": "the WSGI application that does nothing, the feedback benchmark's floor",
    "smoke": "this file",
    "report": "writes the README's figures from bench/figures/",
}


def unlisted() -> list[str]:
    found = {path.stem for path in BENCH.glob("*.py")}
    return sorted(found - set(BENCHMARKS) - set(HELPERS))


def main() -> None:
    if missing := unlisted():
        sys.exit(f"bench/smoke.py lists neither as a benchmark nor as a helper: {missing}")
    chosen = sys.argv[1:] or BENCHMARKS
    failed, began = [], time.perf_counter()
    for name in chosen:
        started = time.perf_counter()
        command = [sys.executable, str(BENCH / f"{name}.py"), "--smoke"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        verdict = "ok" if done.returncode == 0 else "FAILED"
        print(f"bench smoke: {name:<18} {seconds:6.1f} s  {verdict}", flush=True)
        if done.returncode != 0:
            failed.append(name)
            print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
    print(f"bench smoke: {len(chosen)} benchmarks in {time.perf_counter() - began:.0f} s")
    if failed:
        sys.exit(f"bench smoke failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
