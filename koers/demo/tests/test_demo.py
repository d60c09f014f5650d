from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from koers.demo.generator import MEN, generate, write_files
from koers.giving.models import Gift, Mandate, Storno
from koers.groups.models import Facts
from koers.journeys.models import Enrollment, Journey
from koers.relations.models import Consent, Event, Relation
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.planning import TICK_TIME

TODAY = date(2026, 11, 24)


def _files(tmp_path: Path, seed: int) -> dict[str, bytes]:
    folder = tmp_path / str(seed)
    folder.mkdir(exist_ok=True)
    return {
        kind: path.read_bytes()
        for kind, path in write_files(generate(300, seed, TODAY), folder).items()
    }


def test_the_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    assert _files(tmp_path / "a", 7) == _files(tmp_path / "b", 7)


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    assert _files(tmp_path, 7)["relations"] != _files(tmp_path, 8)["relations"]


def test_the_base_looks_like_a_dutch_charitys() -> None:
    base = generate(1000, 3, TODAY)

    assert len(base.relations) == 1000
    references = [m[0] for m in base.mandates]
    assert len(references) == len(set(references))
    assert max(len(r) for r in references) <= 35
    days = [date(int(g[2][6:]), int(g[2][3:5]), int(g[2][:2])) for g in base.gifts]
    assert TODAY - timedelta(days=5 * 365) <= min(days) and max(days) <= TODAY
    assert all(not g[3].startswith("-") and g[3] != "0,00" for g in base.gifts)
    assert {c[2] for c in base.consents} == {
        "toestemming",
        "bestaande relatie",
        "gerechtvaardigd belang",
    }
    assert {m[5] for m in base.mandates} == {"actief", "gepauzeerd", "opgezegd"}
    assert 0.2 < len(base.mandates) / 1000 < 0.5


@pytest.mark.django_db
def test_the_command_loads_the_base_through_the_importer_once() -> None:
    out = StringIO()

    call_command("demo", "--relations", "200", "--seed", "5", "--today", "2026-11-24", stdout=out)
    call_command("demo", "--relations", "200", "--if-empty", stdout=out)

    base = generate(200, 5, TODAY)
    assert Relation.objects.count() == 200
    assert Gift.objects.count() == len(base.gifts)
    assert Mandate.objects.count() == len(base.mandates)
    assert Consent.objects.count() == len(base.consents)
    assert Storno.objects.count() == len(base.stornos)
    assert Facts.objects.count() == 200
    assert "Er zijn al relaties; de demodata wordt niet geladen." in out.getvalue()
    beheerder = User.objects.get(username="beheerder")
    assert beheerder.is_superuser and beheerder.check_password("koers-demo")
    assert sorted(beheerder.groups.values_list("name", flat=True)) == ["beheerder"]


@pytest.mark.django_db
def test_the_demo_follows_up_last_weeks_detractors() -> None:
    call_command("demo", "--relations", "1500", "--seed", "5", "--today", "2026-11-24",
                 stdout=StringIO())  # fmt: skip

    follow_up = Journey.objects.get(key="nps-criticaster-nabellen")
    ticked = datetime.combine(TODAY, TICK_TIME, tzinfo=timezone.get_current_timezone())
    detractors = Event.objects.filter(
        kind="survey.answered",
        data__band="detractor",
        occurred_at__range=(ticked - timedelta(days=7), ticked),
    ).values_list("relation_id", flat=True)
    entered = Enrollment.objects.filter(journey=follow_up).values_list("relation_id", flat=True)
    assert len(set(detractors)) >= 1, "the demo should have a detractor in its last week"
    assert set(entered) == set(detractors)


def _without_collection(entered: datetime, until: datetime, relation: int) -> bool:
    """No gift came for the relation from its entry up to six weeks later (the timeout)."""
    timeout = entered + timedelta(weeks=6)
    gifts = Event.objects.filter(
        relation_id=relation, kind="gift.received", occurred_at__range=(entered, timeout)
    )
    return timeout <= until and not gifts.exists()


@pytest.mark.django_db
def test_the_first_collection_task_is_only_for_donors_whose_collection_did_not_come() -> None:
    # Given a demo base whose welcome flow ran over the last 45 days
    call_command("demo", "--relations", "400", "--seed", "28", "--today", "2026-11-24",
                 stdout=StringIO())  # fmt: skip
    ticked = datetime.combine(TODAY, TICK_TIME, tzinfo=timezone.get_current_timezone())
    welcome = Enrollment.objects.filter(journey__key="welkom-structureel").exclude(state="exited")

    # Then exactly the new donors whose first collection did not come within six weeks
    # of signing got the task, and each of them because the bank returned it
    expected = {e.relation_id for e in welcome if _without_collection(e.entered_at, ticked, e.relation_id)}  # fmt: skip
    tasks = Touchpoint.objects.filter(step="incasso-controleren")
    assert set(tasks.values_list("relation_id", flat=True)) == expected
    returned = Storno.objects.filter(mandate__relation_id__in=expected, reason="AM04")
    assert len(expected) >= 1
    assert set(returned.values_list("mandate__relation_id", flat=True)) == expected
    assert set(tasks.values_list("role", flat=True)) == {"administrateur"}
    # And a task whose collection came after all is done by itself
    for task in tasks:
        arrived = Event.objects.filter(
            relation_id=task.relation_id, kind="gift.received",
            occurred_at__gt=task.planned_at, occurred_at__lte=ticked,
        ).exists()  # fmt: skip
        assert (task.status, task.outcome) == (("done", "resolved") if arrived else ("open", ""))


@pytest.mark.django_db
def test_the_simulation_predicts_the_task_only_for_a_missing_first_collection() -> None:
    call_command("demo", "--relations", "400", "--seed", "28", "--today", "2026-11-24",
                 "--no-journeys", stdout=StringIO())  # fmt: skip
    from koers.journeys.actions import install
    from koers.journeys.simulation import simulate

    install("welkom-structureel")
    ticked = datetime.combine(TODAY, TICK_TIME, tzinfo=timezone.get_current_timezone())

    result = simulate("welkom-structureel", 90, ticked)

    # The donors who signed in the replayed 90 days (and the 14 before the first tick),
    # were still there six weeks later and had no collection by then
    first = ticked - timedelta(days=90)
    started = Event.objects.filter(
        kind="mandate.started", relation__status="active",
        occurred_at__range=(first - timedelta(days=14), ticked),
    )  # fmt: skip
    cancelled = {
        (e.relation_id) for e in Event.objects.filter(kind="mandate.cancelled")
        if any(s.relation_id == e.relation_id and s.occurred_at <= e.occurred_at <= s.occurred_at + timedelta(weeks=6) for s in started)
    }  # fmt: skip
    expected = [
        s.relation_id for s in started
        if s.relation_id not in cancelled and _without_collection(s.occurred_at, ticked, s.relation_id)
    ]  # fmt: skip
    assert result.per_step["incasso-controleren"] == len(expected) >= 1
    returned = Storno.objects.filter(mandate__relation_id__in=expected, reason="AM04")
    assert set(returned.values_list("mandate__relation_id", flat=True)) == set(expected)


def test_a_salutation_matches_the_person() -> None:
    base = generate(300, 1, TODAY)
    people = [row for row in base.relations if row[1] == "persoon"]

    for row in people:
        first, infix, last, salutation = row[3], row[4], row[5].strip(), row[2]
        title = "heer" if first.capitalize() in MEN else "mevrouw"
        surname = f"{infix} {last}".lower() if infix else last.lower()
        # (An untidy row has its names in capitals or lower case; the salutation not.)
        expected = (f"beste {title} {surname}", f"geachte {title} {surname}")
        assert salutation.lower() in expected, row
    annas = [row[2] for row in people if row[3] == "Anna"]
    assert annas and all("mevrouw" in text for text in annas)
