"""Broken files are rejected whole with an exact report, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from koers.giving.models import Gift
from koers.imports.api import RowError, import_file
from koers.imports.tests.conftest import NOW
from koers.relations.models import Event, Relation


@pytest.fixture
def known(db: None, write: Callable[..., Path]) -> None:
    import_file("relations", write("known.csv", "relatienummer;achternaam\nK1;Kok\n"), now=NOW)


def _nothing_written(relations: int = 1, events: int = 1) -> None:
    assert (Relation.objects.count(), Gift.objects.count(), Event.objects.count()) == (
        relations,
        0,
        events,
    )


def _errors(path: Path, kind: str = "gifts") -> list[RowError]:
    report = import_file(kind, path, now=NOW)
    assert not report.ok
    return report.errors


def test_wrong_delimiter(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer|datum|bedrag\nK1|01-01-2026|10\n")

    assert _errors(path) == [
        RowError(
            1,
            "",
            "",
            "de kolomkoppen zijn niet te herkennen; gebruik een puntkomma (;) of een komma (,) als scheidingsteken en kolomnamen als relatienummer, datum, bedrag, campagne",
        )
    ]
    _nothing_written()


def test_unknown_relation_id(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum;bedrag\nK1;01-01-2026;10\nX9;01-01-2026;10\n")

    assert _errors(path) == [RowError(3, "relatienummer", "X9", "onbekend relatienummer")]
    _nothing_written()


def test_negative_amount(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum;bedrag\nK1;01-01-2026;-12,50\n")

    assert _errors(path) == [
        RowError(2, "bedrag", "-12,50", "bedrag moet groter dan 0 zijn, niet -12,50")
    ]
    _nothing_written()


def test_impossible_date(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum;bedrag\nK1;31-02-2026;10\nK1;2026-13-01;10\n")

    assert _errors(path) == [
        RowError(2, "datum", "31-02-2026", "ongeldige datum: 31-02-2026 (deze dag bestaat niet)"),
        RowError(3, "datum", "2026-13-01", "ongeldige datum: 2026-13-01 (deze dag bestaat niet)"),
    ]
    _nothing_written()


def test_invalid_email(known: None, write: Callable[..., Path]) -> None:
    path = write(
        "r.csv", "relatienummer;achternaam;e-mail\nN1;Nol;nol@example.nl\nN2;Mol;mol@@example\n"
    )

    assert _errors(path, "relations") == [
        RowError(3, "e-mail", "mol@@example", "ongeldig e-mailadres: mol@@example")
    ]
    _nothing_written()


def test_duplicate_external_id_within_one_file(known: None, write: Callable[..., Path]) -> None:
    path = write("r.csv", "relatienummer;achternaam\nN1;Nol\nN2;Mol\nN1;Nol\n")

    assert _errors(path, "relations") == [
        RowError(4, "relatienummer", "N1", "komt twee keer voor in dit bestand (ook in rij 2)")
    ]
    _nothing_written()


def test_empty_file(known: None, write: Callable[..., Path]) -> None:
    assert _errors(write("g.csv", "")) == [
        RowError(1, "", "", "het bestand is leeg: er staat geen kopregel in")
    ]
    assert _errors(write("h.csv", "relatienummer;datum;bedrag\n")) == [
        RowError(None, "", "", "het bestand bevat geen rijen onder de kopregel")
    ]
    _nothing_written()


def test_undecodable_bytes(known: None, tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    # 0x81 is undefined in Windows-1252 and invalid in UTF-8.
    path.write_bytes(
        b"relatienummer;datum;bedrag;campagne\nK1;01-01-2026;10;ok\nK1;02-01-2026;10;\x81\n"
    )

    assert _errors(path) == [
        RowError(
            3,
            "",
            "",
            "het bestand bevat tekens die niet te lezen zijn als UTF-8 of Windows-1252; sla het op als UTF-8 (CSV UTF-8 in Excel)",
        )
    ]
    _nothing_written()


def test_missing_required_column(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum\nK1;01-01-2026\n")

    assert _errors(path) == [RowError(1, "bedrag of amount", "", "verplichte kolom ontbreekt")]
    _nothing_written()


def test_a_50_mb_file_with_one_bad_row_at_the_end_writes_nothing(
    known: None, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    line = "K1;01-01-2026;10,00;Voorjaarsactie met een lange campagnenaam voor de omvang\n"
    with path.open("w", encoding="utf-8") as out:
        out.write("relatienummer;datum;bedrag;campagne;giftnummer\n")
        count = 50 * 1024 * 1024 // (len(line) + 4) + 1
        for number in range(count):
            out.write(line.replace("\n", f";G{number}\n"))
        out.write("K1;01-01-2026;nul;Fout;LAST\n")
    assert path.stat().st_size > 50 * 1024 * 1024

    report = import_file("gifts", path, now=NOW)

    assert (report.rows, report.error_count) == (count + 1, 1)
    assert report.errors == [
        RowError(
            count + 2,
            "bedrag",
            "nul",
            "ongeldig bedrag: nul (verwacht bijvoorbeeld 12,50 of € 1.234,56)",
        )
    ]
    _nothing_written()


def test_the_command_exits_1_with_a_json_report(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum;bedrag\nX9;01-01-2026;10\n")
    out = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import", "gifts", str(path), "--json", stdout=out)

    assert exit_.value.code == 1
    report = json.loads(out.getvalue())
    assert (report["ok"], report["error_count"]) == (False, 1)
    assert report["errors"] == [
        {"row": 2, "column": "relatienummer", "value": "X9", "problem": "onbekend relatienummer"}
    ]
    _nothing_written()


def test_the_command_prints_a_text_report(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum;bedrag\nK1;01-01-2026;0\n")
    out = StringIO()

    with pytest.raises(SystemExit):
        call_command("import", "gifts", str(path), stdout=out)

    assert out.getvalue().splitlines()[1:] == [
        "  rij 2, kolom bedrag, waarde '0': bedrag moet groter dan 0 zijn, niet 0"
    ]


def test_a_dry_run_reports_and_writes_nothing(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum;bedrag\nK1;01-01-2026;10\n")

    report = import_file("gifts", path, now=NOW, dry_run=True)

    assert (report.ok, report.created) == (True, 1)
    _nothing_written()


def test_an_end_before_the_start_is_rejected(known: None, write: Callable[..., Path]) -> None:
    header = "kenmerk;relatienummer;bedrag;frequentie;startdatum;einddatum\n"
    path = write("m.csv", header + "M1;K1;10;maandelijks;01-03-2026;01-02-2026\n")

    assert _errors(path, "mandates") == [
        RowError(2, "einddatum", "", "einddatum 01-02-2026 ligt voor de startdatum")
    ]
