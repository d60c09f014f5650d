"""An import refreshes the facts of the relations it touched, and every relation's scores;
the result is the same as a full refresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from koers.groups.facts import refresh_facts
from koers.groups.models import Facts
from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW


def _all_facts() -> list[dict[str, Any]]:
    rows = Facts.objects.order_by("relation_id").values()
    return [{k: v for k, v in row.items() if k != "refreshed_at"} for row in rows]


@pytest.fixture
def imported(db: None, write: Callable[..., Path]) -> Callable[..., Path]:
    relations = "relatienummer;achternaam\n" + "".join(f"R{n};Naam\n" for n in range(1, 9))
    import_file("relations", write("r.csv", relations), now=NOW)
    gifts = (
        "giftnummer;relatienummer;datum;bedrag\n"
        "G1;R1;01-03-2026;10\nG2;R2;01-04-2026;20\nG3;R3;01-05-2026;30\n"
        "G4;R4;01-06-2026;40\nG5;R5;01-07-2026;50\nG6;R5;01-08-2026;60\n"
    )
    import_file("gifts", write("g.csv", gifts), now=NOW)
    return write


def test_an_import_leaves_the_facts_a_full_refresh_would_compute(
    imported: Callable[..., Path],
) -> None:
    # G1 moves from R1 to R6, G2 changes its amount, R7 gives for the first time.
    gifts = (
        "giftnummer;relatienummer;datum;bedrag\n"
        "G1;R6;01-03-2026;10\nG2;R2;01-04-2026;500\nG7;R7;01-11-2026;5\n"
    )
    import_file("gifts", imported("g2.csv", gifts), now=NOW)
    header = "kenmerk;relatienummer;bedrag;frequentie;startdatum\n"
    import_file(
        "mandates", imported("m.csv", header + "M1;R8;10;maandelijks;01-01-2026\n"), now=NOW
    )
    after_imports = _all_facts()

    refresh_facts(NOW)

    assert after_imports == _all_facts()
    moved = Facts.objects.get(relation__external_id="R1")
    assert (moved.gifts_count, moved.recency_score) == (0, None)


def test_an_import_that_changes_nothing_writes_no_facts(imported: Callable[..., Path]) -> None:
    before = list(Facts.objects.order_by("relation_id").values())
    later = NOW + timedelta(hours=1)

    import_file(
        "gifts",
        imported("g3.csv", "giftnummer;relatienummer;datum;bedrag\nG1;R1;01-03-2026;10\n"),
        now=later,
    )

    assert list(Facts.objects.order_by("relation_id").values()) == before


def test_an_import_on_a_later_day_refreshes_every_relation(imported: Callable[..., Path]) -> None:
    next_year = NOW + timedelta(days=365)

    import_file(
        "gifts",
        imported("g4.csv", "giftnummer;relatienummer;datum;bedrag\nG1;R1;01-03-2026;10\n"),
        now=next_year,
    )

    stale = Facts.objects.filter(relation__external_id="R5").get()
    assert (stale.gifts_12m_count, stale.refreshed_at) == (0, next_year)
