"""Benchmark: import 1,000,000 relations and 5,000,000 gifts, refresh facts, against the floor.

    .venv/bin/python bench/import_facts.py [--relations N] [--gifts M] [--db sqlite|postgres|both]

Writes Dutch-dialect CSV files into bench/out/, imports them with `koers import` into a
fresh database (each import ends with a facts refresh, as in production), refreshes the
facts once more on its own, and loads the same files with the database's own bulk
loader (sqlite3 .import, PostgreSQL COPY) as the floor. Every phase runs in its own
process so its peak memory (maxrss) is measured alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from bench_figures import add_smoke_flag, record

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
KOERS = str(ROOT / ".venv" / "bin" / "koers")
PG = "postgres://postgres@127.0.0.1:5432"


def write_files(relations: int, gifts: int) -> tuple[Path, Path, Path]:
    """The relations file, and the same gifts with and without a gift number column.

    Without gift numbers a gift is known by (relation, date, amount, campaign), so no two
    gifts may share that: the k-th gift of a relation falls 97k days (modulo the 1,825 days
    of five years) after a day of its own, and 97 and 1,825 share no factor, so up to 1,825
    gifts of one relation fall on different days."""
    OUT.mkdir(parents=True, exist_ok=True)
    rel = OUT / f"relaties-{relations}.csv"
    numbered = OUT / f"giften-{gifts}-{relations}.csv"
    plain = OUT / f"giften-{gifts}-{relations}-zonder-giftnummer.csv"
    rng = random.Random(1)
    if not rel.exists():
        with rel.open("w", encoding="utf-8") as out:
            out.write(
                "relatienummer;voornaam;tussenvoegsel;achternaam;e-mail;postcode;plaats;geboortedatum\n"
            )
            for n in range(relations):
                out.write(
                    f"{n + 1};Anna;van;Berg{n % 997};anna{n}@example.nl;{1000 + n % 8999} AB;"
                    f"Utrecht;{1 + n % 28:02d}-{1 + n % 12:02d}-{1940 + n % 60}\n"
                )
    if not (numbered.exists() and plain.exists()):
        start = date(2021, 11, 24)
        days = [(start + timedelta(days=d)).strftime("%d-%m-%Y") for d in range(5 * 365)]
        amounts = ["5,00", "10,00", "12,50", "25,00", "50,00", "100,00", "€ 1.000,00"]
        given = array("H", bytes(2 * (relations + 1)))  # gifts so far per relation
        with numbered.open("w", encoding="utf-8") as out, plain.open("w", encoding="utf-8") as bare:
            out.write("giftnummer;relatienummer;datum;bedrag;campagne\n")
            bare.write("relatienummer;datum;bedrag;campagne\n")
            lines: list[str] = []
            for n in range(gifts):
                relation = rng.randint(1, relations)
                day = (given[relation] * 97 + relation * 7919) % len(days)
                given[relation] += 1
                lines.append(f"{relation};{days[day]};{rng.choice(amounts)};Actie\n")
                if len(lines) == 100_000:
                    _flush(out, bare, lines, n + 1)
                    lines = []
            _flush(out, bare, lines, gifts)
    return rel, numbered, plain


def _flush(out: TextIO, bare: TextIO, lines: list[str], upto: int) -> None:
    first = upto - len(lines)
    out.writelines(f"G{first + i};{line}" for i, line in enumerate(lines))
    bare.writelines(lines)


@dataclass(frozen=True)
class Phase:
    name: str
    rows: int
    seconds: float
    peak_mib: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)  # the import's own phases


@dataclass(frozen=True)
class Setup:
    koers: str  # the koers command measured (another checkout's, to compare with it)
    database: str  # PostgreSQL database the benchmark drops and creates


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run one phase in its own process: (seconds, its own peak memory in MiB, its output)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if status != 0:
            sys.exit(f"{' '.join(command)} failed: {err.read().decode()}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode()


def imported(setup: Setup, kind: str, path: Path, rows: int, env: dict[str, str]) -> Phase:
    seconds, memory, output = run([setup.koers, "import", kind, str(path), "--json"], env)
    parts = json.loads(output).get("phases", {})
    return Phase(f"import {kind} (incl. facts)", rows, seconds, memory, parts)


def koers_env(setup: Setup, db: str, folder: Path) -> dict[str, str]:
    env = dict(os.environ, KOERS_VAR_DIR=str(folder))
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG}/{setup.database}"
    return env


def psql(database: str, sql: str) -> None:
    subprocess.run(["psql", f"{PG}/{database}", "-qc", sql], check=True, capture_output=True)


def fresh_database(setup: Setup, db: str, folder: Path) -> dict[str, str]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if db == "postgres":
        psql("postgres", f"DROP DATABASE IF EXISTS {setup.database}")
        psql("postgres", f"CREATE DATABASE {setup.database}")
    env = koers_env(setup, db, folder)
    subprocess.run([setup.koers, "migrate", "-v0"], env=env, check=True)
    return env


def floor(setup: Setup, db: str, files: list[Path], folder: Path) -> float:
    """The database's own bulk loader on the same files, into plain text tables."""
    started = time.perf_counter()
    if db == "sqlite":
        target = folder / "floor.sqlite3"
        target.unlink(missing_ok=True)
        for number, path in enumerate(files):
            subprocess.run(
                ["sqlite3", str(target), ".mode csv", ".separator ;", f".import {path} f{number}"],
                check=True,
            )
    else:
        for number, path in enumerate(files):
            header = path.open(encoding="utf-8").readline().strip().split(";")
            columns = ", ".join(f'"{c}" text' for c in header)
            psql(
                setup.database,
                f"DROP TABLE IF EXISTS f{number}; CREATE TABLE f{number} ({columns})",
            )
            psql(
                setup.database,
                f"\\copy f{number} FROM '{path}' WITH (FORMAT csv, DELIMITER ';', HEADER true)",
            )
    return time.perf_counter() - started


def bench(setup: Setup, db: str, rel: Path, gif: Path, relations: int, gifts: int) -> list[Phase]:
    folder = OUT / f"db-{db}"
    env = fresh_database(setup, db, folder)
    rows = [
        imported(setup, "relations", rel, relations, env),
        imported(setup, "gifts", gif, gifts, env),
    ]
    seconds, memory, _ = run([setup.koers, "facts", "refresh"], env)
    rows.append(Phase("facts refresh alone", relations, seconds, memory))
    again = [
        imported(setup, kind, path, n, env)
        for kind, path, n in (("relations", rel, relations), ("gifts", gif, gifts))
    ]
    rows.append(
        Phase(
            "re-import, nothing changed",
            relations + gifts,
            sum(p.seconds for p in again),
            max(p.peak_mib for p in again),
        )
    )
    rows.append(
        Phase(
            "floor: bulk loader, both files",
            relations + gifts,
            floor(setup, db, [rel, gif], folder),
        )
    )
    if db == "postgres":
        psql("postgres", f"DROP DATABASE IF EXISTS {setup.database}")
    return rows


def report(title: str, rows: list[Phase]) -> dict[str, float]:
    print(f"\n{title}")
    print(f"  {'phase':34} {'rows':>10} {'seconds':>9} {'rows/s':>10} {'peak MiB':>9}")
    for phase in rows:
        mem = f"{phase.peak_mib:9.0f}" if phase.peak_mib else f"{'-':>9}"
        print(
            f"  {phase.name:34} {phase.rows:>10,} {phase.seconds:9.1f} "
            f"{phase.rows / phase.seconds:>10,.0f} {mem}"
        )
        for part, seconds in phase.parts.items():
            print(
                f"    {part:32} {'':>10} {seconds:9.1f} {phase.rows / max(seconds, 1e-9):>10,.0f}"
            )
    total, reimport, bottom = rows[0].seconds + rows[1].seconds, rows[3].seconds, rows[4].seconds
    print(
        f"  import + facts: {total:.1f} s; floor {bottom:.1f} s; ratio {total / bottom:.1f}x "
        f"(target: within 10x); re-import {reimport / bottom:.1f}x (target: within 3x); "
        f"peak memory {max(r.peak_mib for r in rows):.0f} MiB (target: under 2048)"
    )
    figures = {f"{phase.name} (s)": round(phase.seconds, 1) for phase in rows}
    figures["import + facts against the floor (x)"] = round(total / bottom, 1)
    figures["peak memory (MiB)"] = round(max(r.peak_mib for r in rows))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--gifts", type=int, default=5_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--gift-numbers",
        choices=["with", "without", "both"],
        default="both",
        help="import the gifts file with a giftnummer column, without one, or both in turn",
    )
    parser.add_argument("--koers", default=KOERS, help="the koers command to measure")
    parser.add_argument("--pg-database", default="koers_bench", help="dropped and created")
    add_smoke_flag(parser)
    args = parser.parse_args()
    if args.smoke:
        args.relations, args.gifts, args.db = 200, 1000, "sqlite"
    setup = Setup(args.koers, args.pg_database)
    started = time.perf_counter()
    rel, numbered, plain = write_files(args.relations, args.gifts)
    print(
        f"files: {rel.name} {rel.stat().st_size / 2**20:.0f} MiB, {numbered.name} "
        f"{numbered.stat().st_size / 2**20:.0f} MiB, {plain.name} "
        f"{plain.stat().st_size / 2**20:.0f} MiB ({time.perf_counter() - started:.0f} s to write)"
    )
    variants = {"with": [numbered], "without": [plain], "both": [numbered, plain]}
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        for gif in variants[args.gift_numbers]:
            rows = bench(setup, db, rel, gif, args.relations, args.gifts)
            numbers = "without" if gif == plain else "with"
            figures = report(f"{db}, gifts {numbers} gift numbers", rows)
            sizes = {"db": db, "relations": args.relations, "gifts": args.gifts}
            record(f"import-facts-{db}-{numbers}-gift-numbers", sizes, figures, smoke=args.smoke)


if __name__ == "__main__":
    main()
