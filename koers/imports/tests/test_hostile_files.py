"""Hostile and broken files get a report, never a traceback, and nothing is written.

Each case was once a crash of `koers import`: an Excel sheet cut off halfway, a CSV that is
one enormous cell, NUL bytes, digits int() refuses, and an Excel file of 1 MB that unpacks
to a gigabyte.
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Callable, Sequence
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from koers.giving.models import Gift
from koers.groups.models import Facts
from koers.imports.api import import_file
from koers.imports.reader import find_long_cell
from koers.imports.tests.conftest import NOW, SharedDatabase, run_measured
from koers.relations.models import Event, Relation

KOERS = Path(sys.executable).with_name("koers")


@pytest.fixture
def known(db: None, write: Callable[..., Path]) -> None:
    import_file("relations", write("known.csv", "relatienummer;achternaam\nK1;Kok\n"), now=NOW)


def rows_in_database() -> tuple[int, int, int, int]:
    return (
        Relation.objects.count(),
        Gift.objects.count(),
        Event.objects.count(),
        Facts.objects.count(),
    )


def command_errors(kind: str, path: Path) -> list[dict[str, object]]:
    """What `koers import KIND FILE --json` reports; it must reject the file."""
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", kind, str(path), "--json", stdout=out)
    assert exit_.value.code == 1
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    return list(report["errors"])


def error(row: int | None, column: str, value: str, problem: str) -> dict[str, object]:
    return {"row": row, "column": column, "value": value, "problem": problem}


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_an_excel_sheet_cut_off_halfway_names_the_last_row_read(
    known: None, tmp_path: Path
) -> None:
    whole = workbook(
        tmp_path / "heel.xlsx",
        [["relatienummer", "achternaam"], *[[f"N{n}", "Nol"] for n in range(1, 6)]],
    )
    cut = tmp_path / "afgebroken.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(cut, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                # Everything up to and including row 3: the rest of the sheet is missing.
                data = data[: data.index(b"</row>", data.index(b'<row r="3"')) + len(b"</row>")]
                end = len(data)  # the sheet is one line: the XML parser stops at its end
            target.writestr(member, data)
    before = rows_in_database()

    assert command_errors("relations", cut) == [
        error(
            4,
            "",
            "",
            "het Excel-bestand is beschadigd: na rij 3 is het werkblad niet verder te lezen "
            f"(no element found: line 1, column {end})",
        )
    ]
    assert rows_in_database() == before


def test_a_csv_that_is_one_cell_of_50_mb_names_its_row_and_column(
    known: None, tmp_path: Path
) -> None:
    path = tmp_path / "een-cel.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write('relatienummer;achternaam\nN1;Nol\nN2;"')
        out.write("Jansen " * (50 * 1024 * 1024 // 7))
        out.write('"\n')
    assert path.stat().st_size > 50 * 1024 * 1024
    before = rows_in_database()

    assert command_errors("relations", path) == [
        error(
            3,
            "achternaam",
            ("Jansen " * 6)[:40] + "…",
            "de cel is langer dan 10000 tekens, de grens per cel; het bestand is na de vorige "
            "rij niet verder gelezen",
        )
    ]
    assert rows_in_database() == before


def test_a_line_of_50_mb_without_quotes_is_refused_without_reading_it_whole(
    known: None, tmp_path: Path
) -> None:
    path = tmp_path / "een-regel.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("relatienummer;achternaam;plaats\nN1;Nol;Ede\nN2;Mol;")
        out.write("x" * (50 * 1024 * 1024))
        out.write("\n")
    before = rows_in_database()

    assert command_errors("relations", path) == [
        error(
            3,
            "plaats",
            "x" * 40 + "…",
            "de cel is langer dan 10000 tekens, de grens per cel; het bestand is na de vorige "
            "rij niet verder gelezen",
        )
    ]
    assert rows_in_database() == before


def test_a_long_excel_cell_names_its_row_column_and_length(known: None, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "lang.xlsx",
        [["relatienummer", "achternaam"], ["N1", "Nol"], ["N2", "Jansen " * 2000]],
    )
    before = rows_in_database()

    assert command_errors("relations", path) == [
        error(
            3,
            "achternaam",
            ("Jansen " * 6)[:40] + "…",
            "de cel is 13999 tekens lang, hoogstens 10000 per cel",
        )
    ]
    assert rows_in_database() == before


def test_a_nul_byte_is_refused_with_its_row_column_and_place(known: None, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"relatienummer;achternaam;plaats\nN1;Nol;Ede\nN2;Mo\x00l;Ede\n")
    before = rows_in_database()

    assert command_errors("relations", path) == [
        error(
            3,
            "achternaam",
            "Mo␀l",
            "bevat een NUL-teken (teken 3); dat hoort niet in een tekst en kan niet worden "
            "opgeslagen",
        )
    ]
    assert rows_in_database() == before


def test_the_text_report_shows_a_nul_byte_it_can_print(known: None, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"relatienummer;achternaam\nN1;Mo\x00l\n")
    out = StringIO()

    with pytest.raises(SystemExit):
        call_command("import", "relations", str(path), stdout=out)

    assert out.getvalue().splitlines()[1:] == [
        "  rij 2, kolom achternaam, waarde 'Mo␀l': bevat een NUL-teken (teken 3); dat hoort "
        "niet in een tekst en kan niet worden opgeslagen"
    ]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "gifts",
            "relatienummer;datum;bedrag\nK1;01-01-2026;1²\n",
            error(2, "bedrag", "1²", "ongeldig bedrag: 1² (verwacht bijvoorbeeld 12,50 of € 1.234,56)"),
        ),
        (
            "gifts",
            "relatienummer;datum;bedrag\nK1;01-01-2026;" + "9" * 30 + "\n",
            error(2, "bedrag", "9" * 30, f"bedrag is te groot: {'9' * 30} (hoogstens € 1.000.000.000)"),
        ),
        (
            "responses",
            "relatienummer;meetinstrument;cijfer;datum\nK1;nps-relatie;²;03-11-2026\n",
            error(2, "cijfer", "²", "score: een geheel getal van 0 tot en met 10, niet '²'"),
        ),
    ],
    ids=["superscript in an amount", "an amount beyond any database", "superscript as a score"],
)  # fmt: skip
def test_digits_that_int_refuses_or_no_database_holds_are_reported(
    known: None, write: Callable[..., Path], kind: str, text: str, expected: dict[str, object]
) -> None:
    before = rows_in_database()

    assert command_errors(kind, write("f.csv", text)) == [expected]
    assert rows_in_database() == before


def test_long_values_are_cut_short_in_the_report(known: None, write: Callable[..., Path]) -> None:
    path = write("g.csv", "relatienummer;datum;bedrag\nK1;01-01-2026;" + "€" * 500 + "\n")

    assert command_errors("gifts", path) == [
        error(
            2,
            "bedrag",
            "€" * 40 + "…",
            f"ongeldig bedrag: {'€' * 40}… (verwacht bijvoorbeeld 12,50 of € 1.234,56)",
        )
    ]


@pytest.mark.parametrize(
    ("record", "found"),
    [
        ('a;"b""' + "c" * 20 + '";d\n', (1, 'b"' + "c" * 9)),
        ('a;"b;\n' + "c" * 20 + '"\n', (1, "b;\n" + "c" * 8)),
        ('"a"' + "b" * 20 + ";c\n", (0, "a" + "b" * 10)),
        ("a;b;c\nddddddddddddddddddddd\n", None),
    ],
    ids=["doubled quote", "separator and line break in quotes", "text after a quote", "short"],
)
def test_the_long_cell_is_found_as_the_csv_module_reads_it(
    record: str, found: tuple[int, str] | None
) -> None:
    # Split into pieces of 3 characters: the state carries over from one piece to the next.
    pieces = [record[i : i + 3] for i in range(0, len(record), 3)]

    result = find_long_cell(pieces, ";", 10)

    assert result == (None if found is None else (found[0], found[1]))


def _bomb(path: Path, size: int) -> Path:
    """A real workbook whose one shared string is `size` bytes of "x": 1 MB packed per GiB."""
    normal = workbook(
        path.with_name("normaal.xlsx"), [["relatienummer", "achternaam"], ["N1", "x"]]
    )
    with zipfile.ZipFile(normal) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            if member.filename != "xl/sharedStrings.xml":
                target.writestr(member, source.read(member), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="3" uniqueCount="3"><si><t>relatienummer</t></si><si><t>achternaam</t>'
                b"</si><si><t>N1</t></si><si><t>"
            )
            chunk = b"x" * (1 << 20)
            for _ in range(size >> 20):
                strings.write(chunk)
            strings.write(b"</t></si></sst>")
    return path


def test_an_excel_file_that_unpacks_to_a_gigabyte_is_refused_before_it_is_unpacked(
    shared_database: SharedDatabase, tmp_path: Path, write: Callable[..., Path]
) -> None:
    import_file("relations", write("known.csv", "relatienummer;achternaam\nK1;Kok\n"), now=NOW)
    shared_database.publish()
    path = _bomb(tmp_path / "bom.xlsx", 1 << 30)
    assert path.stat().st_size < 10 * 1024 * 1024

    finished = run_measured(
        [str(KOERS), "import", "relations", str(path), "--json"], shared_database.env(), tmp_path
    )

    assert finished.returncode == 1, finished.stderr
    assert json.loads(finished.stdout)["errors"] == [
        error(
            None,
            "",
            "",
            "het Excel-bestand is uitgepakt 1025 MB groot, hoogstens 100 MB "
            "(KOERS_IMPORT_MAX_XLSX_MB); sla het op als CSV, dat heeft geen grens",
        )
    ]
    # A guard on the kind of work done (the file is never unpacked), not a measurement.
    assert finished.peak_mib < 500
    tables = ("relations_relation", "relations_event", "groups_facts")
    assert [shared_database.scalar(f"SELECT COUNT(*) FROM {t}") for t in tables] == [1, 1, 1]


def test_an_excel_file_that_packs_a_thousand_to_one_is_refused_as_a_bomb(
    known: None, tmp_path: Path
) -> None:
    path = _bomb(tmp_path / "bom.xlsx", 64 << 20)  # under the size limit
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/sharedStrings.xml")
    ratio = member.file_size // member.compress_size  # about a thousand, as zlib packs it
    assert ratio > 900
    before = rows_in_database()

    assert command_errors("relations", path) == [
        error(
            None,
            "",
            "",
            f"het Excel-bestand wordt uitgepakt {ratio} keer zo groot (xl/sharedStrings.xml); "
            "dat doet een echt Excel-bestand niet, dit bestand wordt niet geopend",
        )
    ]
    assert rows_in_database() == before
