"""`koers import responses FILE`: answers collected elsewhere, all or nothing, never doubled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from koers.feedback.models import Response
from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW
from koers.relations.models import Event, Relation
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db
GOOD = (
    "relatienummer;meetinstrument;score;datum;toelichting\n"
    "A;nps-relatie;9;03-11-2026;Goed werk\n"
    "A;duim;0;04-11-2026;\n"
    "B;nps-relatie;4;05-11-2026;Te veel post\n"
)


@pytest.fixture
def relations(write: Callable[..., Path]) -> None:
    import_file("relations", write("r.csv", "relatienummer;achternaam\nA;Aal\nB;Bos\n"), now=NOW)


def test_answers_come_in_confirmed_and_become_events(
    relations: None, write: Callable[..., Path]
) -> None:
    report = import_file("responses", write("antwoorden.csv", GOOD), now=NOW)

    assert (report.ok, report.created) == (True, 3)
    rows = Response.objects.order_by("answered_at").values_list(
        "relation__external_id", "instrument__key", "score", "status", "source", "comment"
    )
    assert list(rows) == [
        ("A", "nps-relatie", 9, "confirmed", "import", "Goed werk"),
        ("A", "duim", 0, "confirmed", "import", ""),
        ("B", "nps-relatie", 4, "confirmed", "import", "Te veel post"),
    ]
    events = Event.objects.filter(kind="survey.answered").order_by("occurred_at")
    assert [(e.data["score"], e.data["band"], e.data["comment"]) for e in events] == [
        (9, "promoter", "Goed werk"), (0, None, ""), (4, "detractor", "Te veel post")
    ]  # fmt: skip


def test_importing_the_same_file_again_doubles_nothing(
    relations: None, write: Callable[..., Path]
) -> None:
    import_file("responses", write("a.csv", GOOD), now=NOW)

    again = import_file("responses", write("b.csv", GOOD.replace(";4;", ";5;")), now=NOW)

    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert Response.objects.count() == 3
    assert Response.objects.get(relation__external_id="B").score == 5
    assert Event.objects.filter(kind="survey.answered").count() == 3


def test_a_file_with_bad_rows_names_each_and_imports_nothing(
    relations: None, write: Callable[..., Path]
) -> None:
    other = Touchpoint.objects.create(
        relation=Relation.objects.get(external_id="B"),
        source="test", occurrence="1", channel="email", nature="survey", planned_at=NOW,
    )  # fmt: skip
    bad = (
        "relatienummer;meetinstrument;score;datum;contactmoment\n"
        "A;nps-relatie;11;03-11-2026;\n"
        "Z;nps-relatie;7;03-11-2026;\n"
        "A;tevredenheid;7;03-11-2026;\n"
        "A;duim;5;04-11-2026;\n"
        f"A;nps-relatie;8;05-11-2026;{other.pk}\n"
        "B;nps-relatie;8;05-11-2026;\n"
        "B;nps-relatie;6;05-11-2026;\n"
    )

    report = import_file("responses", write("fout.csv", bad), now=NOW)

    assert [(e.row, e.column, e.value, e.problem) for e in report.errors] == [
        (2, "score", "11", "score: een geheel getal van 0 tot en met 10, niet '11'"),
        (3, "relatienummer", "Z", "onbekend relatienummer"),
        (4, "meetinstrument", "tevredenheid",
         "onbekend meetinstrument; kies uit duim, nps-contact, nps-relatie"),
        (5, "score", "5", "een duim is 1 (omhoog) of 0 (omlaag)"),
        (6, "contactmoment", str(other.pk), "geen contactmoment van deze relatie"),
        (8, "relatienummer", "B", "komt twee keer voor in dit bestand (ook in rij 7)"),
    ]  # fmt: skip
    assert Response.objects.count() == 0
    assert not Event.objects.filter(kind="survey.answered").exists()
