"""FEP figures on small hand-made histories; every expected number is worked out here."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from koers.giving.models import Gift
from koers.insights.queries import calendar_year, retention_counts, rolling
from koers.insights.retention import Figure, figures
from koers.insights.summary import rebuild_summary, refresh_summary
from koers.relations.models import Relation


def _gift(relation: Relation, on: date, euros: int) -> None:
    Gift.objects.create(relation=relation, received_on=on, amount_cents=euros * 100)


def _relation(name: str) -> Relation:
    return Relation.objects.create(external_id=name, last_name=name)


def _by_name(year: int) -> dict[str, Figure]:
    counts = retention_counts(calendar_year(year))[""]
    return {f.name: f for f in figures(counts)}


@pytest.mark.django_db
def test_ten_donors_of_2024_of_whom_six_give_in_2025_retain_sixty_percent() -> None:
    # Given 10 donors in 2024 (four first-time, six who also gave in 2022), 6 of them give in 2025
    donors = [_relation(f"D{i}") for i in range(10)]
    for i, donor in enumerate(donors):
        _gift(donor, date(2024, 3, 1), 10)
        if i >= 4:
            _gift(donor, date(2022, 5, 1), 10)  # repeat donors of 2024: D4..D9
    for donor in donors[2:8]:  # D2..D7 give again: 2 first-time (D2, D3), 4 repeat
        _gift(donor, date(2025, 6, 1), 10)
    rebuild_summary()
    # When the figures of 2025 are read
    f = _by_name(2025)
    # Then retention is 6/10, new-donor 2/4, repeat-donor 4/6
    assert f["donors_previous_year"].value == 10
    assert f["retained"].value == 6
    assert f["lapsed"].value == 4
    assert f["retention"].value == pytest.approx(0.6)
    assert f["retention"].n == 10
    assert f["retention"].low == pytest.approx(0.3127, abs=1e-4)
    assert f["retention"].high == pytest.approx(0.8318, abs=1e-4)
    assert f["new_donor_retention"].value == pytest.approx(0.5)
    assert f["new_donor_retention"].n == 4
    assert f["repeat_donor_retention"].value == pytest.approx(4 / 6)
    assert f["repeat_donor_retention"].n == 6
    # all retained gave the same; amount retention 60 of 100 euros
    assert f["same"].value == 6
    assert f["amount_retention"].value == pytest.approx(0.6)


@pytest.fixture
def history(db: None) -> None:
    ann, bas, cas, dik, eef, fay = (_relation(n) for n in "ABCDEF")
    _gift(ann, date(2024, 12, 31), 50)  # 31 December and 1 January: two different years
    _gift(ann, date(2025, 1, 1), 80)  # upgraded: 80 > 50
    _gift(bas, date(2024, 5, 1), 100)
    _gift(bas, date(2025, 5, 1), 40)  # downgraded: 40 < 100
    _gift(cas, date(2024, 7, 1), 30)
    _gift(cas, date(2025, 7, 1), 30)  # same
    _gift(dik, date(2024, 2, 1), 20)  # lapsed in 2025
    _gift(eef, date(2023, 2, 1), 25)  # skips 2024, returns in 2025: recaptured
    _gift(eef, date(2025, 2, 1), 60)
    _gift(fay, date(2025, 9, 9), 15)  # new in 2025
    rebuild_summary()


def test_every_definition_on_a_history_with_a_skipped_year(history: None) -> None:
    f = _by_name(2025)
    values = {name: figure.value for name, figure in f.items()}
    assert values["donors_previous_year"] == 4  # A, B, C, D
    assert values["donors"] == 5  # A, B, C, E, F
    assert (values["retained"], values["new"], values["recaptured"], values["lapsed"]) == (
        3,
        1,
        1,
        1,
    )
    assert (values["upgraded"], values["downgraded"], values["same"]) == (1, 1, 1)
    assert values["recapture"] == pytest.approx(1.0)  # lapsed pool: E alone
    # amount retention: 2025 of retained (80 + 40 + 30) / 2024 of all (50 + 100 + 30 + 20)
    assert values["amount_retention"] == pytest.approx(150 / 200)
    # gains: new 15 + recaptured 60 + upgrade 30 = 105 euro; losses: lapsed 20 + downgrade 60
    assert values["gains_cents"] == 10500
    assert values["losses_cents"] == 8000
    assert values["net_cents"] == 2500
    assert (values["gains_donors"], values["losses_donors"], values["net_donors"]) == (2, 1, 1)


def test_the_new_donors_of_2024_are_the_first_time_donors_behind_new_donor_retention(
    history: None,
) -> None:
    f = _by_name(2025)
    assert f["new_donor_retention"].n == 4  # A, B, C, D all gave first in 2024
    assert f["repeat_donor_retention"].n == 0


def test_an_empty_year_gives_zeros_and_no_interval(history: None) -> None:
    f = _by_name(2030)
    assert f["donors"].value == 0
    assert f["retention"].n == 0
    assert f["retention"].low is None


def test_rolling_twelve_months_compares_the_twelve_before(history: None) -> None:
    # 12 months to June 2025 (07-2024..06-2025) against 07-2023..06-2024
    counts = retention_counts(rolling(202506))[""]
    # previous window: B (05-2024), D (02-2024); current: A, C (12-2024, 07-2024), A, B, E
    assert counts["donors_previous_year"] == 2
    assert counts["retained"] == 1  # B
    assert counts["lapsed"] == 1  # D


def test_the_summary_follows_new_gifts_of_touched_relations_only(history: None) -> None:
    fay = Relation.objects.get(external_id="F")
    _gift(fay, date(2026, 1, 5), 10)
    assert refresh_summary() == 1
    assert retention_counts(calendar_year(2026))[""]["retained"] == 1


def test_kpi_retention_json_names_each_figure(history: None) -> None:
    out = StringIO()
    call_command("kpi", "retention", "--year", "2025", "--json", stdout=out)
    data = json.loads(out.getvalue())["segments"][""]
    assert data["retention"]["value"] == pytest.approx(0.75)
    assert data["retention"]["n"] == 4
    assert data["upgraded"]["value"] == 1


def test_kpi_retention_by_level_and_group_splits_the_same_donors(history: None) -> None:
    out = StringIO()
    call_command("kpi", "retention", "--year", "2025", "--by", "level", stdout=out)
    assert "retention" in out.getvalue()
    out = StringIO()
    call_command("kpi", "retention", "--year", "2025", "--by", "group", "--json", stdout=out)
    assert json.loads(out.getvalue())["period"] == "2025"
