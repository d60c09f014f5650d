"""What the text sandbox and the inert spreadsheet writer cost.

    .venv/bin/python bench/texts.py [--rows 50000]

Prints: filling in the welcome flow's thank-you mail per contact (checked, from the cache
of parsed texts, with plain values), the check of a text the first time it is seen (what
publishing costs per text), and writing a comments sheet of ROWS rows through the shared
writer against the same sheet written without making its cells inert (best of three).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import timeit
from datetime import UTC, date, datetime
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path.insert(1, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from bench_figures import add_smoke_flag, record  # noqa: E402

from koers import spreadsheet  # noqa: E402
from koers.channels import content, texts  # noqa: E402
from koers.relations.models import Relation  # noqa: E402
from koers.spreadsheet import Column, add_sheet, new_workbook  # noqa: E402
from koers.touchpoints.models import Touchpoint  # noqa: E402


def thank_you_body() -> str:
    steps = yaml.safe_load((ROOT / "koers/journeys/library/welkom-structureel.yaml").read_text())
    mail = next(s for s in steps["steps"] if s.get("channel") == "email")
    return str(mail["content"]["body"]["nl"])


def filling(body: str, number: int = 2000) -> dict[str, float]:
    relation = Relation(pk=1, external_id="A1", first_name="Anne", infix="'t", last_name="Hart")
    touchpoint = Touchpoint(
        pk=1, relation=relation, step="mail", planned_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
        content={"body": body, "trigger": {"amount_cents": 1250, "frequency": "monthly"}},
    )  # fmt: skip
    content.render(touchpoint, "body")
    best = min(timeit.repeat(lambda: content.render(touchpoint, "body"), number=number, repeat=5))
    print(f"fill in one text:        {best / number * 1e6:6.0f} µs ({number / best:,.0f} a second)")
    fill = round(best / number * 1e6)

    def check() -> None:
        texts._compiled.cache_clear()
        texts.problems(body)

    checks = max(number // 10, 1)
    best = min(timeit.repeat(check, number=checks, repeat=5))
    print(f"check a new text:        {best / checks * 1e6:6.0f} µs")
    return {"fill in one text (µs)": fill, "check a new text (µs)": round(best / checks * 1e6)}


def sheet(rows: int) -> dict[str, float]:
    data = [[date(2026, 11, 5), n % 11, "criticaster", "e-mail", f"R{n}",
             "=HYPERLINK(\"http://x/\")" if n % 100 == 0 else "Lange wachttijd."]
            for n in range(rows)]  # fmt: skip
    columns = [Column(str(n)) for n in range(6)]

    def write() -> float:
        started = time.perf_counter()
        add_sheet(new_workbook(), "Opmerkingen", columns, data)
        return time.perf_counter() - started

    inert = min(write() for _ in range(3))
    made_inert = spreadsheet._cell
    spreadsheet._cell = lambda value: value  # the same sheet, cells left as they are
    try:
        floor = min(write() for _ in range(3))
    finally:
        spreadsheet._cell = made_inert
    print(f"sheet of {rows:,} rows:    {inert:6.2f} s, {floor:.2f} s without making cells inert")
    return {
        "comments sheet (s)": round(inert, 2),
        "the same without inert cells (s)": round(floor, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    add_smoke_flag(parser)
    arguments = parser.parse_args()
    number = 2000
    if arguments.smoke:
        arguments.rows, number = 200, 50
    figures = filling(thank_you_body(), number) | sheet(arguments.rows)
    record("texts", {"rows": arguments.rows}, figures, smoke=arguments.smoke)


if __name__ == "__main__":
    main()
