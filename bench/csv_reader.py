"""Which CSV reader for imports: Python's csv module with Koers' cell parsers, or polars?

    .venv/bin/python bench/csv_reader.py [FILE] [--smoke]   (polars: pip install polars==2.1.0)

Reads the benchmark's gift file (bench/out/giften-5000000.csv, made by import_facts.py)
and parses and checks every amount and date, the work the import does before loading.
polars is measured only when it is installed; it is not a dependency of Koers.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_figures import add_smoke_flag, record  # noqa: E402

from koers.imports.values import Problem, parse_cents, parse_date  # noqa: E402


def with_csv_module(path: Path) -> int:
    good = 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        for row in reader:
            try:
                parse_date(row[2])
                parse_cents(row[3])
            except Problem:
                continue
            good += 1
    return good


def with_polars(path: Path) -> int:
    import polars as pl

    frame = pl.read_csv(path, separator=";", infer_schema=False)
    amount = (
        frame["bedrag"]
        .str.replace_all("€", "")
        .str.replace_all(r"\s", "")
        .str.replace_all(r"\.", "")
        .str.replace(",", ".")
        .cast(pl.Float64, strict=False)
    )
    day = frame["datum"].str.to_date("%d-%m-%Y", strict=False)
    return int(((amount > 0) & day.is_not_null()).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "bench/out/giften-5000000.csv"))
    add_smoke_flag(parser)
    args = parser.parse_args()
    path = Path(args.file)
    if args.smoke:
        from import_facts import write_files

        path = write_files(200, 1000)[1]
    if not path.exists():
        sys.exit(f"{path} does not exist: run bench/import_facts.py first")
    figures = {}
    readers = [("csv module + Koers parsers", with_csv_module)]
    try:
        import polars  # noqa: F401

        readers.append(("polars (vectorised)", with_polars))
    except ImportError:
        print("polars is not installed: measuring the csv module only")
    for name, reader in readers:
        started = time.perf_counter()
        rows = reader(path)
        seconds = time.perf_counter() - started
        print(f"{name:28} {rows:>10,} rows  {seconds:6.1f} s  {rows / seconds:>12,.0f} rows/s")
        figures[f"{name}, rows per second"] = round(rows / seconds)
    record("csv-reader", {"file": path.name}, figures, smoke=args.smoke)


if __name__ == "__main__":
    main()
