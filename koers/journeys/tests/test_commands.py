"""The journey commands: templates, install, import/export as YAML, run, touchpoints, simulate."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from django.core.management import CommandError, call_command

from koers.journeys.models import Journey, JourneyVersion
from koers.journeys.tests.conftest import donor, local
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_templates_lists_and_install_installs_the_welcome_flow(seeded: None) -> None:
    assert run("journeys", "templates") == (
        "nps-criticaster-nabellen: Criticaster nabellen na een NPS-antwoord\n"
        "welkom-structureel: Welkom nieuwe structurele donateur\n"
    )

    assert run("journeys", "install", "welkom-structureel") == (
        "welkom-structureel: versie 1 geïnstalleerd (active)\n"
    )
    assert Journey.objects.get().phase.key == "welkom"


def test_export_then_import_publishes_the_same_definition_as_version_two(
    seeded: None, tmp_path: Path
) -> None:
    run("journeys", "install", "welkom-structureel")
    exported = run("journeys", "export", "welkom-structureel")
    path = tmp_path / "welkom.yaml"
    path.write_text(exported, encoding="utf-8")

    assert (
        run("journeys", "import", str(path))
        == "welkom-structureel: versie 2 gepubliceerd (active)\n"
    )
    first, second = JourneyVersion.objects.order_by("number")
    assert second.definition == first.definition
    assert yaml.safe_load(exported)["steps"][0]["key"] == "bedankmail"


def test_importing_a_broken_file_lists_every_problem_and_writes_nothing(
    seeded: None, tmp_path: Path
) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text(
        "key: kapot\nname: Kapot\nphase: nergens\ntrigger: {event: gift.received}\n"
        "steps:\n  - {key: a, kind: wait, for: 1 day, next: b}\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as caught:
        run("journeys", "import", str(path))

    assert str(caught.value) == (
        "de klantreis kan zo niet gebruikt worden:\n  - stap 'a': volgende stap 'b' bestaat niet"
    )
    path.write_text(path.read_text().replace(", next: b", ""), encoding="utf-8")
    with pytest.raises(CommandError, match="fase 'nergens' bestaat niet; kies uit werving, "):
        run("journeys", "import", str(path))
    assert Journey.objects.count() == 0


def test_importing_what_is_not_yaml_says_so(tmp_path: Path, db: None) -> None:
    path = tmp_path / "geen.yaml"
    path.write_text("key: [open", encoding="utf-8")

    with pytest.raises(CommandError, match=r"geen.yaml: geen geldige YAML"):
        run("journeys", "import", str(path))
    with pytest.raises(CommandError, match=r"ontbreekt.yaml: kan het bestand niet lezen"):
        run("journeys", "import", str(tmp_path / "ontbreekt.yaml"))


def test_run_and_touchpoints_json(quiet_channels: None, seeded: None) -> None:
    run("journeys", "install", "welkom-structureel")
    donor("A1", "Anna", monthly_cents=1000, started=local(2026, 11, 2).date())

    result = json.loads(run("run", "--now", "2026-11-03T09:00", "--json"))
    listed = json.loads(run("touchpoints", "--json", "--relation", "A1"))

    assert {k: result[k] for k in ("enrolled", "planned", "sent")} == {
        "enrolled": 1,
        "planned": 1,
        "sent": 1,
    }
    touchpoint = listed[0]["id"]
    assert listed == [
        {
            "id": touchpoint, "relation": "A1", "journey": "welkom-structureel",
            "source": "journey:welkom-structureel:bedankmail", "step": "bedankmail",
            "channel": "email", "nature": "thank",
            "planned_at": "2026-11-02T11:00:00+00:00", "sent_at": "2026-11-03T08:00:00+00:00",
            "done_at": None, "deadline": "2026-11-03T11:00:00+00:00",
            "status": "sent", "skip_reason": "", "outcome": "", "attempts": 1,
            "delivery_key": f"<koers.{touchpoint}.1@koers.localhost>",
        }
    ]  # fmt: skip


def test_run_until_advances_day_by_day(quiet_channels: None, seeded: None) -> None:
    run("journeys", "install", "welkom-structureel")
    donor("A1", "Anna", monthly_cents=1000, started=local(2026, 11, 2).date())

    days = json.loads(run("run", "--now", "2026-11-03T09:00", "--until", "2026-11-17", "--json"))

    assert len(days) == 15
    assert [d["planned"] for d in days] == [1] + [0] * 6 + [1] + [0] * 6 + [1]
    # The mail, a week later the letter, after two weeks the call: no first debit yet, and
    # none expected before six weeks, so no task to check it.
    assert list(Touchpoint.objects.order_by("id").values_list("step", "status")) == [
        ("bedankmail", "sent"), ("welkomstbrief", "sent"), ("bedankbelletje", "open"),
    ]  # fmt: skip


@time_machine.travel(local(2026, 11, 25, 12), tick=False)
def test_simulate_writes_nothing(quiet_channels: None, seeded: None, settings: Any) -> None:
    run("journeys", "install", "welkom-structureel")
    for number in range(3):
        donor(f"S{number}", f"Sim{number}", monthly_cents=3000, started=local(2026, 10, 1).date())

    watermark = Journey.objects.get().event_watermark

    result = json.loads(run("simulate", "welkom-structureel", "--days", "60", "--json"))

    assert result["enrolled"] == 3
    assert result["per_step"]["bedankmail"] == 3
    assert result["per_channel"]["email"] >= 3
    assert result["cost_cents"] > 0 and result["staff_hours"] > 0
    assert Touchpoint.objects.count() == 0
    assert Journey.objects.get().event_watermark == watermark  # the replay was rolled back


@time_machine.travel(local(2026, 11, 25, 12), tick=False)
def test_simulate_forecasts_a_journey_that_has_already_run(
    quiet_channels: None, seeded: None
) -> None:
    """Relations already on the journey travel it again in the simulation, from the start."""
    run("journeys", "install", "welkom-structureel")
    for number in range(3):
        donor(f"S{number}", f"Sim{number}", monthly_cents=3000, started=local(2026, 10, 1).date())
    fresh = json.loads(run("simulate", "welkom-structureel", "--days", "60", "--json"))
    run("run", "--now", "2026-10-02T09:00:00+02:00", "--until", "2026-11-20")
    made = Touchpoint.objects.count()

    again = json.loads(run("simulate", "welkom-structureel", "--days", "60", "--json"))

    assert made > 0
    assert again["enrolled"] == fresh["enrolled"] == 3
    assert again["per_step"]["bedankmail"] == 3
    assert Touchpoint.objects.count() == made
