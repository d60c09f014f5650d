"""LYBUNT and SYBUNT: live groups, and the euros at stake from the giving summary."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from koers.giving.models import Gift
from koers.groups.facts import refresh_facts
from koers.groups.models import Group
from koers.groups.queries import members
from koers.insights.queries import lapsing
from koers.insights.summary import rebuild_summary
from koers.relations.models import Relation

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _gift(relation: Relation, on: date, euros: int) -> None:
    Gift.objects.create(relation=relation, received_on=on, amount_cents=euros * 100)


@pytest.fixture
def base(db: None) -> None:
    a, b, c, d = (Relation.objects.create(external_id=n, last_name=n) for n in "ABCD")
    _gift(a, date(2025, 1, 1), 10)
    _gift(a, date(2025, 12, 31), 15)  # LYBUNT: 25 euro at stake
    _gift(b, date(2022, 4, 1), 40)
    _gift(b, date(2023, 4, 1), 30)  # SYBUNT: last year of giving 2023, 30 euro at stake
    _gift(c, date(2025, 6, 1), 20)
    _gift(c, date(2026, 1, 1), 5)  # gave this year: neither
    _gift(d, date(2020, 1, 1), 7)  # SYBUNT: 7 euro
    refresh_facts(NOW)
    rebuild_summary()


def test_lybunt_and_sybunt_are_preset_groups_with_live_members(base: None) -> None:
    lybunt = Group.objects.get(key="lybunt")
    sybunt = Group.objects.get(key="sybunt")
    assert sorted(members(lybunt, NOW).values_list("external_id", flat=True)) == ["A"]
    assert sorted(members(sybunt, NOW).values_list("external_id", flat=True)) == ["B", "D"]
    # A year later A has become SYBUNT and C LYBUNT
    later = datetime(2027, 2, 1, tzinfo=UTC)
    refresh_facts(later)
    assert sorted(members(lybunt, later).values_list("external_id", flat=True)) == ["C"]


def test_the_euros_at_stake_are_the_last_year_of_giving(base: None) -> None:
    assert lapsing(date(2026, 3, 10)) == {"lybunt": (1, 2500), "sybunt": (2, 3700)}


def test_kpi_lapsing_json(base: None) -> None:
    out = StringIO()
    call_command("kpi", "lapsing", "--now", "2026-03-10", "--json", stdout=out)
    assert json.loads(out.getvalue())["lybunt"] == {"relations": 1, "cents_at_stake": 2500}
