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

# bench/calendar.py would hide the standard library's calendar module from Django.
_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != _HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402

from koers import spreadsheet  # noqa: E402
from koers.channels import content, texts  # noqa: E402
from koers.relations.models import Relation  # noqa: E402
from koers.spreadsheet import Column, add_sheet, new_workbook  # noqa: E402
from koers.touchpoints.models import Touchpoint  # noqa: E402


def thank_you_body() -> str:
    steps = yaml.safe_load((ROOT / "koers/journeys/library/welkom-structureel.yaml").read_text())
    mail = next(s for s in steps["steps"] if s.get("channel") == "email")
    return str(mail["content"]["body"]["nl"])


def filling(body: str, number: int = 2000) -> None:
    relation = Relation(pk=1, external_id="A1", first_name="Anne", infix="'t", last_name="Hart")
    touchpoint = Touchpoint(
        pk=1, relation=relation, step="mail", planned_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
        content={"body": body, "trigger": {"amount_cents": 1250, "frequency": "monthly"}},
    )  # fmt: skip
    content.render(touchpoint, "body")
    best = min(timeit.repeat(lambda: content.render(touchpoint, "body"), number=number, repeat=5))
    print(f"fill in one text:        {best / number * 1e6:6.0f} µs ({number / best:,.0f} a second)")

    def check() -> None:
        texts._compiled.cache_clear()
        texts.problems(body)

    best = min(timeit.repeat(check, number=200, repeat=5))
    print(f"check a new text:        {best / 200 * 1e6:6.0f} µs")


def sheet(rows: int) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    arguments = parser.parse_args()
    filling(thank_you_body())
    sheet(arguments.rows)


if __name__ == "__main__":
    main()
