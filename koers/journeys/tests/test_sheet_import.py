"""A journey drawn in Excel, one row per step: imported as a new version, or refused by cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.journeys.models import Journey, JourneyVersion

pytestmark = pytest.mark.django_db

JOURNEY = {
    "key": "bedanken-excel",
    "name": "Bedanken uit Excel",
    "phase": "bedanken",
    "status": "draft",
    "trigger_event": "gift.first",
    "exit_when": "opt_out, deceased",
}
STEPS: list[list[Any]] = [
    [
        "key",
        "kind",
        "label",
        "channel",
        "nature",
        "subject",
        "body",
        "for",
        "when",
        "then",
        "else",
        "emotion",
        "moment_of_truth",
        "deadline",
    ],
    [
        "mail",
        "action",
        "Bedankmail",
        "email",
        "thank",
        "Dank u",
        "{{ aanhef }} dank u wel.",
        None,
        None,
        None,
        None,
        2,
        "ja",
        "48 hours",
    ],
    [
        "wacht",
        "wait",
        "Een week later",
        None,
        None,
        None,
        None,
        "7 days",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    [
        "keuze",
        "branch",
        "Grote gift?",
        None,
        None,
        None,
        None,
        None,
        "trigger.amount >= 100",
        "bel",
        "einde",
        None,
        None,
        None,
    ],
    [
        "bel",
        "action",
        "Bedankbelletje",
        "phone",
        "thank",
        None,
        None,
        None,
        None,
        None,
        None,
        1,
        None,
        None,
    ],
    ["einde", "exit", "Einde", None, None, None, None, None, None, None, None, None, None, None],
]


def workbook(path: Path, steps: list[list[Any]]) -> Path:
    call_command("journeys", "blank", str(path))
    book = openpyxl.load_workbook(path)
    fields = book["klantreis"]
    for row in fields.iter_rows(min_row=2):
        row[1].value = JOURNEY.get(str(row[0].value), "")
    sheet = book["stappen"]
    sheet.delete_rows(1, sheet.max_row)
    for values in steps:
        sheet.append(values)
    book.save(path)
    return path


def test_a_workbook_with_a_row_per_step_becomes_a_version(tmp_path: Path) -> None:
    steps = [row[:] for row in STEPS]
    steps[0] += ["script"]
    for row in steps[1:]:
        row.append("Bel {{ naam }}" if row[0] == "bel" else None)

    call_command("journeys", "import", str(workbook(tmp_path / "reis.xlsx", steps)))

    version = Journey.objects.get(key="bedanken-excel").current
    assert version is not None
    definition = version.definition
    assert [step["key"] for step in definition["steps"]] == [
        "mail",
        "wacht",
        "keuze",
        "bel",
        "einde",
    ]
    assert definition["steps"][0]["map"] == {
        "emotion": 2,
        "moment_of_truth": True,
        "deadline": "48 hours",
    }
    assert definition["steps"][2]["branches"] == [{"when": "trigger.amount >= 100", "next": "bel"}]
    assert definition["exit_when"] == ["opt_out", "deceased"]


def test_a_broken_workbook_names_each_cell_and_writes_nothing(tmp_path: Path) -> None:
    steps = [row[:] for row in STEPS]
    steps[1][3] = "fax"  # channel of the mail, D2
    steps[2][7] = "een week"  # the wait, H3
    steps[3][9] = "bellen"  # the branch's target, J4

    with pytest.raises(CommandError) as caught:
        call_command("journeys", "import", str(workbook(tmp_path / "kapot.xlsx", steps)))

    message = str(caught.value)
    assert "stappen!D2: stap 'mail'" in message and "fax" in message
    assert "stappen!H3: stap 'wacht'" in message
    assert (
        "stappen!J4: stap 'keuze': volgende stap 'bellen' bestaat niet (bedoelde u 'bel'?)"
        in message
    )
    assert not JourneyVersion.objects.exists()
