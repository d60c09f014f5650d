"""Where a benchmark's figures go (one JSON file per benchmark, the README's source), and
the fresh database each benchmark runs on.

A full run writes bench/figures/NAME.json (committed): the date and commit of the run, the
machine, the sizes it ran at and its figures. `bench/report.py` writes the README's
figures from these files. A smoke run (`--smoke`, tiny sizes, part of `make test`) only
checks that the benchmark still works; its figures go to bench/out/smoke/ and stay out of
the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
FIGURES = BENCH / "figures"
SMOKE = BENCH / "out" / "smoke"


def add_smoke_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a tiny run that only checks that the benchmark works (its figures go to "
        "bench/out/smoke/, not to the README)",
    )


def commit() -> str:
    """The commit the run measured, marked when the work tree had changes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=BENCH.parent, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return f"{head}+changes" if git("status", "--porcelain", "--", "koers", "bench") else head


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return (
        f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, load average {load:.1f}"
    )


def record(
    name: str, sizes: dict[str, Any], figures: dict[str, Any], *, smoke: bool
) -> dict[str, Any]:
    """Write the figures of one run and return them; `figures` maps a label (with its unit)
    to a number."""
    folder = SMOKE if smoke else FIGURES
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    document = {
        "benchmark": name,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "machine": machine(),
        "sizes": sizes,
        "figures": figures,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"  figures written to {path.relative_to(BENCH.parent)}", flush=True)
    return figures


def fresh_django(name: str, db: str) -> None:
    """Set Django up on a fresh database of the benchmark's own, never the one the settings
    point at: bench/out/NAME/koers.sqlite3, or the PostgreSQL database koers_bench_NAME."""
    out = BENCH / "out" / name
    out.mkdir(parents=True, exist_ok=True)
    os.environ["KOERS_VAR_DIR"] = str(out)
    if db == "postgres":
        server = "postgres://postgres@127.0.0.1:5432"
        os.environ["DATABASE_URL"] = f"{server}/koers_bench_{name}"
        for sql in (
            f"DROP DATABASE IF EXISTS koers_bench_{name}",
            f"CREATE DATABASE koers_bench_{name}",
        ):
            subprocess.run(
                ["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True
            )
    else:
        os.environ.pop("DATABASE_URL", None)
        for suffix in ("", "-wal", "-shm"):
            (out / f"koers.sqlite3{suffix}").unlink(missing_ok=True)
    if str(BENCH.parent) not in sys.path:
        sys.path.insert(0, str(BENCH.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
