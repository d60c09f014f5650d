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
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench_figures import add_smoke_flag, record

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
KOERS = str(ROOT / ".venv" / "bin" / "koers")
PG = "postgres://postgres@127.0.0.1:5432"


def write_files(relations: int, gifts: int) -> tuple[Path, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    rel, gif = OUT / f"relaties-{relations}.csv", OUT / f"giften-{gifts}.csv"
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
    if not gif.exists():
        start = date(2021, 11, 24)
        days = [(start + timedelta(days=d)).strftime("%d-%m-%Y") for d in range(5 * 365)]
        amounts = ["5,00", "10,00", "12,50", "25,00", "50,00", "100,00", "€ 1.000,00"]
        with gif.open("w", encoding="utf-8") as out:
            out.write("giftnummer;relatienummer;datum;bedrag;campagne\n")
            lines = []
            for n in range(gifts):
                lines.append(
                    f"G{n};{rng.randint(1, relations)};{rng.choice(days)};"
                    f"{rng.choice(amounts)};Actie\n"
                )
                if len(lines) == 100_000:
                    out.writelines(lines)
                    lines = []
            out.writelines(lines)
    return rel, gif


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one phase in its own process: (seconds, peak memory in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit(
            f"{' '.join(command)} failed: "
            f"{process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1024


def koers_env(db: str, folder: Path) -> dict[str, str]:
    env = dict(os.environ, KOERS_VAR_DIR=str(folder))
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG}/koers_bench"
    return env


def fresh_database(db: str, folder: Path) -> dict[str, str]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if db == "postgres":
        for sql in ("DROP DATABASE IF EXISTS koers_bench", "CREATE DATABASE koers_bench"):
            subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)
    env = koers_env(db, folder)
    subprocess.run([KOERS, "migrate", "-v0"], env=env, check=True)
    return env


def floor(db: str, files: list[Path], folder: Path) -> float:
    """The database's own bulk loader on the same files, into plain text tables."""
    started = time.perf_counter()
    if db == "sqlite":
        target = folder / "floor.sqlite3"
        target.unlink(missing_ok=True)
        for number, path in enumerate(files):
            subprocess.run(
                [
                    "sqlite3",
                    str(target),
                    ".mode csv",
                    ".separator ;",
                    f".import {path} floor{number}",
                ],
                check=True,
            )
    else:
        for number, path in enumerate(files):
            header = path.open(encoding="utf-8").readline().strip().split(";")
            columns = ", ".join(f'"{c}" text' for c in header)
            subprocess.run(
                [
                    "psql",
                    f"{PG}/koers_bench",
                    "-qc",
                    f"DROP TABLE IF EXISTS floor{number}; CREATE TABLE floor{number} ({columns})",
                ],
                check=True,
            )
            subprocess.run(
                [
                    "psql",
                    f"{PG}/koers_bench",
                    "-qc",
                    f"\\copy floor{number} FROM '{path}' "
                    "WITH (FORMAT csv, DELIMITER ';', HEADER true)",
                ],
                check=True,
            )
    return time.perf_counter() - started


def bench(
    db: str, rel: Path, gif: Path, relations: int, gifts: int
) -> list[tuple[str, int, float, float]]:
    folder = OUT / f"db-{db}"
    env = fresh_database(db, folder)
    rows = []
    for kind, path, count in (("relations", rel, relations), ("gifts", gif, gifts)):
        seconds, memory = run([KOERS, "import", kind, str(path)], env)
        rows.append((f"import {kind} (incl. facts)", count, seconds, memory))
    seconds, memory = run([KOERS, "facts", "refresh"], env)
    rows.append(("facts refresh alone", relations, seconds, memory))
    rows.append(
        ("floor: bulk loader, both files", relations + gifts, floor(db, [rel, gif], folder), 0.0)
    )
    if db == "postgres":
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", "DROP DATABASE IF EXISTS koers_bench"], check=True
        )
    return rows


def report(db: str, rows: list[tuple[str, int, float, float]]) -> dict[str, float]:
    print(f"\n{db}")
    print(f"  {'phase':34} {'rows':>10} {'seconds':>9} {'rows/s':>10} {'peak MiB':>9}")
    for name, count, seconds, memory in rows:
        mem = f"{memory:9.0f}" if memory else f"{'-':>9}"
        print(f"  {name:34} {count:>10,} {seconds:9.1f} {count / seconds:>10,.0f} {mem}")
    total = rows[0][2] + rows[1][2]
    print(
        f"  import + facts: {total:.1f} s; floor {rows[3][2]:.1f} s; "
        f"ratio {total / rows[3][2]:.1f}x "
        f"(target: within 3x); peak memory {max(r[3] for r in rows):.0f} MiB (target: under 2048)"
    )
    figures = {f"{name} (s)": round(seconds, 1) for name, _, seconds, _ in rows}
    figures["import + facts against the floor (x)"] = round(total / rows[3][2], 1)
    figures["peak memory (MiB)"] = round(max(r[3] for r in rows))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--gifts", type=int, default=5_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    add_smoke_flag(parser)
    args = parser.parse_args()
    if args.smoke:
        args.relations, args.gifts, args.db = 200, 1000, "sqlite"
    started = time.perf_counter()
    rel, gif = write_files(args.relations, args.gifts)
    print(
        f"files: {rel.name} {rel.stat().st_size / 2**20:.0f} MiB, {gif.name} "
        f"{gif.stat().st_size / 2**20:.0f} MiB ({time.perf_counter() - started:.0f} s to write)"
    )
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        figures = report(db, bench(db, rel, gif, args.relations, args.gifts))
        sizes = {"db": db, "relations": args.relations, "gifts": args.gifts}
        record(f"import-facts-{db}", sizes, figures, smoke=args.smoke)


if __name__ == "__main__":
    main()
