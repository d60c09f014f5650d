from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.giving.models import Gift, Mandate
from koers.groups.actions import GroupError, create_group
from koers.groups.facts import refresh_facts
from koers.groups.models import Group
from koers.groups.queries import count_members, members
from koers.relations.models import Relation

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def donors(db: None) -> None:
    new, loyal, structural, major = (
        Relation.objects.create(external_id=n, last_name=n) for n in ("NEW", "LOYAL", "SD", "MAJOR")
    )
    Gift.objects.create(relation=new, received_on=date(2026, 5, 1), amount_cents=2500)
    Gift.objects.create(relation=loyal, received_on=date(2019, 1, 1), amount_cents=2500)
    Gift.objects.create(relation=loyal, received_on=date(2026, 1, 1), amount_cents=2500)
    Gift.objects.create(relation=major, received_on=date(2026, 1, 1), amount_cents=150000)
    for day in (1, 2, 3, 4):
        Gift.objects.create(relation=major, received_on=date(2026, day, 10), amount_cents=1000)
    Mandate.objects.create(
        reference="M1",
        relation=structural,
        amount_cents=1000,
        frequency="monthly",
        start_date=date(2025, 1, 1),
    )
    refresh_facts(NOW)


def _keys(group_key: str) -> list[str]:
    group = Group.objects.get(key=group_key)
    return sorted(members(group, NOW).values_list("external_id", flat=True))


def test_the_seed_groups_are_there_as_presets(donors: None) -> None:
    assert list(
        Group.objects.filter(is_preset=True).order_by("key").values_list("key", flat=True)
    ) == [
        "frequente-gevers",
        "grote-gevers",
        "lybunt",
        "nieuwe-donateurs",
        "structurele-donateurs",
        "sybunt",
        "trouwe-donateurs",
    ]
    assert _keys("nieuwe-donateurs") == ["MAJOR", "NEW"]
    assert _keys("structurele-donateurs") == ["SD"]
    assert _keys("frequente-gevers") == ["MAJOR"]
    assert _keys("grote-gevers") == ["MAJOR"]
    assert _keys("trouwe-donateurs") == ["LOYAL"]


def test_a_group_with_a_bad_rule_is_not_saved(db: None) -> None:
    with pytest.raises(GroupError) as caught:
        create_group(key="test", name="Test", rule="gifts.count >")

    assert caught.value.field == "rule"
    assert (
        caught.value.message == "een waarde verwacht, maar vond het einde van de regel (positie 14)"
    )
    assert not Group.objects.filter(key="test").exists()


def test_groups_list_as_json_gives_key_name_rule_and_count(donors: None) -> None:
    create_group(key="sd-utrecht", name="SD", rule="mandate.active and relation.city = 'Utrecht'")
    out = StringIO()

    call_command("groups", "list", "--json", stdout=out)

    rows = {row["key"]: row for row in json.loads(out.getvalue())}
    assert rows["sd-utrecht"] == {
        "key": "sd-utrecht",
        "name": "SD",
        "rule": "mandate.active and relation.city = 'Utrecht'",
        "members": 0,
    }
    assert rows["grote-gevers"]["members"] == 1


def test_groups_check_prints_the_error_with_a_caret(db: None) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("groups", "check", "suport.annual > 1")

    assert str(caught.value) == (
        "ongeldige regel:\nsuport.annual > 1\n"
        "^ onbekend veld 'suport.annual' (bedoelde u 'support.annual'?)"
    )


def test_count_members_counts_live(donors: None) -> None:
    assert count_members("gifts.count >= 1", NOW) == 3


def test_a_key_the_pages_use_themselves_is_refused(db: None) -> None:
    with pytest.raises(GroupError) as caught:
        create_group(key="nieuw", name="Nieuw", rule="mandate.active")

    assert caught.value.message == "'nieuw' is gereserveerd; kies een andere sleutel"
    assert not Group.objects.filter(key="nieuw").exists()


@pytest.mark.parametrize(
    ("rule", "count"),
    [
        (" or ".join(["relation.age = 40"] * 200), 0),
        (" and ".join(["relation.city != 'Zwolle'"] * 200), 4),
        ("relation.city in [" + ", ".join(f"'p{n}'" for n in range(200)) + "]", 0),
        ("not (" * 10 + "gifts.count >= 1" + ")" * 10, 3),
        ("(" * 20 + " or ".join(["relation.age >= 40"] * 200) + ")" * 20, 0),
    ],
    ids=["200 ages", "200 not-equals", "200 list values", "20 deep", "20 deep and 200 terms"],
)
def test_the_largest_rules_the_limits_allow_still_count_on_the_database(
    donors: None, rule: str, count: int
) -> None:
    assert count_members(rule, NOW) == count
