"""`koers calendar ...`: import and export YAML, install, forecast and check from the command line."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
import yaml
from django.core.management import CommandError, call_command

from koers.calendar.models import Calendar, Moment
from koers.groups.facts import refresh_facts
from koers.tests.people import donor, local

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_install_export_and_import_give_back_the_same_calendar(tmp_path: Path) -> None:
    assert run("calendar", "install", "example").startswith("voorbeeld: 11 momenten geïnstalleerd")
    exported = run("calendar", "export-yaml", "voorbeeld")
    path = tmp_path / "kalender.yaml"
    path.write_text(exported, encoding="utf-8")
    before = Calendar.objects.get().spec()

    assert run("calendar", "import", str(path)) == "voorbeeld: 11 momenten opgeslagen\n"
    assert Calendar.objects.get().spec() == before
    assert yaml.safe_load(exported)["moments"][4]["when"] == {
        "holiday": "Eerste kerstdag",
        "offset": "-7 days",
    }


def test_a_broken_file_names_every_problem_and_saves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text(
        "key: kapot\nname: Kapot\nmoments:\n"
        "  - {key: a, name: A, when: {date: '01-02'}, groups: [onbekend], channels: [email],\n"
        "     nature: appreciate, content: {subject: s, body: b}}\n"
        "  - {key: b, name: B, trigger: {nth_gift: 0}, groups: all, channels: [email],\n"
        "     nature: appreciate, content: {subject: s, body: b}}\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as caught:
        run("calendar", "import", str(path))

    assert str(caught.value) == (
        "de kalender kan zo niet gebruikt worden:\n"
        "  - kapot.yaml: moments[2] (b).trigger.nth_gift: een positief geheel aantal giften"
    )
    assert Calendar.objects.count() == 0

    path.write_text(path.read_text().replace("{nth_gift: 0}", "{nth_gift: 3}"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("calendar", "import", str(path))
    assert "moments[1] (a).groups: relatiegroep 'onbekend' bestaat niet" in str(caught.value)
    assert (Calendar.objects.count(), Moment.objects.count()) == (0, 0)


def test_a_file_that_is_not_yaml_is_named_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "geen.yaml"
    path.write_text("key: a\nmoments: [\n", encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        run("calendar", "import", str(path))

    assert f"{path}: geen geldige YAML (regel 3)" in str(caught.value)


def test_an_unknown_calendar_is_named_with_the_ones_there_are() -> None:
    run("calendar", "install", "example")

    with pytest.raises(CommandError) as caught:
        run("calendar", "export-yaml", "kerst")

    assert str(caught.value) == "kalender 'kerst' bestaat niet (bekend: voorbeeld)"


@time_machine.travel(local(2026, 12, 2), tick=False)
def test_check_reports_each_question_as_json() -> None:
    donor("1", "Anna", monthly_cents=1500, started=date(2024, 3, 1))
    refresh_facts(local(2026, 12, 2))
    run("calendar", "install", "example")

    data = json.loads(run("calendar", "check", "--year", "2027", "--json", "--no-journeys"))

    assert data["passed"] is True
    assert [c["key"] for c in data["checks"]] == [
        "coverage",
        "proportion",
        "balance",
        "ceiling",
        "staff_peak",
    ]


@time_machine.travel(local(2026, 12, 2), tick=False)
def test_forecast_of_one_relation_lists_its_year() -> None:
    donor("1", "Anna", monthly_cents=1500, started=date(2024, 3, 1), birth_date=date(1970, 8, 9))
    refresh_facts(local(2026, 12, 2))
    run("calendar", "install", "example")

    out = run("calendar", "forecast", "--year", "2027", "--relation", "1", "--no-journeys")

    assert out.splitlines()[:3] == [
        "03-01-2027  Nieuwjaarswens (appreciate, email): gepland",
        "01-03-2027  Jubileum van de machtiging (appreciate, email): gepland",
        "14-05-2027  Onze verjaardag, uw verdienste (appreciate, email): gepland",
    ]
    assert "09-08-2027  Verjaardagswens (appreciate, email): gepland" in out


def test_a_year_out_of_range_is_refused() -> None:
    run("calendar", "install", "example")

    with pytest.raises(CommandError) as caught:
        run("calendar", "check", "--year", "27")

    assert str(caught.value) == "--year 27: een jaartal, zoals 2027"


def test_the_excel_export_needs_an_xlsx_name(tmp_path: Path) -> None:
    run("calendar", "install", "example")

    with pytest.raises(CommandError) as caught:
        run("calendar", "export", "--year", "2027", str(tmp_path / "plan.csv"))

    assert str(caught.value) == f"{tmp_path / 'plan.csv'}: de naam eindigt op .xlsx"
