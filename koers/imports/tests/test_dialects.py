"""Files in every dialect Dutch CRMs export: all must import to the same data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from koers.giving.models import Gift
from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW
from koers.relations.models import Event, Relation

RELATIONS_NL = "relatienummer;voornaam;tussenvoegsel;achternaam;e-mail;postcode;plaats;taal\n1;Renée;van der;Berg;Renee@Example.nl;1234ab;Utrecht;nl\n"
RELATIONS_EN = "external_id,first_name,infix,last_name,email,postcode,city,language\n1,Renée,van der,Berg,renee@example.nl,1234 AB,Utrecht,NL\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RELATIONS_NL, "utf-8"),
        ("\ufeff" + RELATIONS_NL, "utf-8"),
        (RELATIONS_NL, "cp1252"),
        (RELATIONS_EN, "utf-8"),
        (RELATIONS_EN.replace("\n", "\r\n"), "cp1252"),
    ],
    ids=["semicolon-utf8", "utf8-bom", "windows-1252", "comma-english", "crlf-windows-1252"],
)
def test_relations_import_the_same_from_every_dialect(
    write: Callable[..., Path], text: str, encoding: str
) -> None:
    report = import_file("relations", write("r.csv", text, encoding), now=NOW)

    assert (report.ok, report.created) == (True, 1)
    relation = Relation.objects.get()
    assert (relation.first_name, relation.infix, relation.last_name) == ("Renée", "van der", "Berg")
    assert (relation.email, relation.postcode, relation.language) == (
        "renee@example.nl",
        "1234 AB",
        "nl",
    )


@pytest.mark.django_db
def test_amounts_and_dates_are_read_the_dutch_way(write: Callable[..., Path]) -> None:
    import_file("relations", write("r.csv", "relatienummer;achternaam\n1;Berg\n"), now=NOW)
    gifts = write(
        "g.csv",
        "relatienummer;datum;bedrag;campagne;soort\n"
        '1;23-11-2025;"€ 1.234,56";Kerst;grote gift\n'
        "1;23/10/2025;12,50;Herfst;eenmalig\n"
        "1;2025-09-23;1.000;Zomer;periodiek\n"
        "1;23-08-2025;7.5;Collecte;One-off\n",
    )

    report = import_file("gifts", gifts, now=NOW)

    assert report.ok, report.errors
    assert sorted(Gift.objects.values_list("received_on", "amount_cents", "kind")) == [
        (date(2025, 8, 23), 750, "one_off"),
        (date(2025, 9, 23), 100000, "recurring"),
        (date(2025, 10, 23), 1250, "one_off"),
        (date(2025, 11, 23), 123456, "major"),
    ]


@pytest.mark.django_db
def test_excel_files_import_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Relatienummer", "Voornaam", "Achternaam", "Geboortedatum", "Telefoon"])
    sheet.append([1001, "Piet", "Jansen", date(1980, 2, 29), "06-12345678"])
    path = tmp_path / "relaties.xlsx"
    book.save(path)

    report = import_file("relations", path, now=NOW)

    assert (report.ok, report.created) == (True, 1)
    piet = Relation.objects.get()
    assert (piet.external_id, piet.birth_date, piet.phone) == (
        "1001",
        date(1980, 2, 29),
        "0612345678",
    )


@pytest.mark.django_db
def test_map_connects_a_files_own_header_to_a_field(write: Callable[..., Path]) -> None:
    path = write("r.csv", "Nummer;Achternaam;Hobby\n77;Smit;zeilen\n")

    report = import_file("relations", path, mapping={"Nummer": "external_id"}, now=NOW)

    assert (report.ok, report.ignored_columns) == (True, ["Hobby"])
    assert Relation.objects.get().external_id == "77"


@pytest.mark.django_db
def test_importing_the_same_files_twice_changes_nothing(write: Callable[..., Path]) -> None:
    relations = write("r.csv", RELATIONS_NL)
    gifts = write("g.csv", "relatienummer;datum;bedrag\n1;01-01-2026;10\n1;02-01-2026;10\n")
    import_file("relations", relations, now=NOW)
    import_file("gifts", gifts, now=NOW)
    events = Event.objects.count()

    again = [import_file("relations", relations, now=NOW), import_file("gifts", gifts, now=NOW)]

    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 1), (0, 0, 2)]
    assert (Relation.objects.count(), Gift.objects.count(), Event.objects.count()) == (1, 2, events)


@pytest.mark.django_db
def test_a_changed_row_updates_only_its_columns_and_says_which(write: Callable[..., Path]) -> None:
    import_file("relations", write("r.csv", RELATIONS_NL), now=NOW)
    changed = write("r2.csv", "relatienummer;plaats\n1;Amersfoort\n")

    report = import_file("relations", changed, now=NOW)

    assert (report.updated, report.unchanged) == (1, 0)
    relation = Relation.objects.get()
    assert (relation.city, relation.first_name) == ("Amersfoort", "Renée")
    event = Event.objects.get(kind="relation.changed")
    assert event.data == {"fields": ["city"]}
