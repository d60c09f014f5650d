"""A gifts file without gift numbers imports as fast as one with them (issue: the natural
key was once matched with a nested loop over the whole table, so the time grew with the
square of the file). The ratio guards a complexity class, not a speed."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from koers.giving.models import Gift
from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW

GIFTS = 20_000
RELATIONS = 2_000


def _gifts(numbered: bool) -> str:
    """Distinct (relation, date, amount, campaign) rows, the same with and without numbers."""
    rng = random.Random(15)
    start = date(2022, 1, 1)
    keys: set[tuple[int, str, str]] = set()
    while len(keys) < GIFTS:
        day = start + timedelta(days=rng.randrange(4 * 365))
        keys.add((rng.randint(1, RELATIONS), f"{day:%d-%m-%Y}", rng.choice(["5", "10", "25"])))
    header = ("giftnummer;" if numbered else "") + "relatienummer;datum;bedrag;campagne\n"
    lines = [
        (f"G{n};" if numbered else "") + f"R{r};{day};{amount};Actie\n"
        for n, (r, day, amount) in enumerate(sorted(keys))
    ]
    return header + "".join(lines)


def _seconds(path: Path) -> float:
    started = time.perf_counter()
    report = import_file("gifts", path, now=NOW)
    assert report.error_count == 0 and report.created == GIFTS
    return time.perf_counter() - started


def test_gifts_without_numbers_import_within_twice_the_time_of_numbered_gifts(
    db: None, write: Callable[..., Path]
) -> None:
    relations = "relatienummer;achternaam\n" + "".join(
        f"R{n};Naam{n}\n" for n in range(1, RELATIONS + 1)
    )
    import_file("relations", write("r.csv", relations), now=NOW)
    numbered, plain = write("met.csv", _gifts(True)), write("zonder.csv", _gifts(False))

    with_numbers = _seconds(numbered)
    Gift.objects.all().delete()
    without_numbers = _seconds(plain)

    assert Gift.objects.filter(external_id=None).count() == GIFTS
    assert without_numbers < 2 * with_numbers, (without_numbers, with_numbers)
    # Again, nothing changed: every row is found through the natural key.
    again = import_file("gifts", plain, now=NOW)
    assert (again.created, again.unchanged) == (0, GIFTS)
