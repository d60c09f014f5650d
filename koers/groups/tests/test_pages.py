"""The groups' pages: list, live counts, the rule editor, create, change, delete."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from koers.groups.models import Group
from koers.relations.models import Relation


def test_a_refused_delete_leaves_the_group(login: Callable[[str], Client]) -> None:
    login("analist").post("/groepen/trouwe-donateurs/verwijderen/")

    assert Group.objects.filter(key="trouwe-donateurs").exists()


def test_the_group_list_counts_each_group_on_its_own(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    page = client.get("/groepen/").content.decode()
    count = client.get("/groepen/structurele-donateurs/aantal/").content.decode()

    assert 'hx-get="/groepen/structurele-donateurs/aantal/"' in page
    assert '<a href="/relaties/?groep=structurele-donateurs">1</a>' in count


def test_the_live_count_counts_or_points_at_the_mistake(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    ok = client.post("/groepen/tellen/", {"rule": "relation.city = 'utrecht'"}).content.decode()
    bad = client.post("/groepen/tellen/", {"rule": "gifts.cont >= 3"}).content.decode()

    assert "2 relaties voldoen aan deze regel" in ok
    assert "<mark>gifts.cont</mark> &gt;= 3" in bad
    assert "onbekend veld &#x27;gifts.cont&#x27; (bedoelde u &#x27;gifts.count&#x27;?)" in bad


def test_the_live_count_marks_the_end_of_an_unfinished_rule(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    bad = login("kijker").post("/groepen/tellen/", {"rule": "support.annual >"})

    assert "support.annual &gt;<mark> </mark>" in bad.content.decode()


def test_a_group_with_a_bad_rule_is_not_saved(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("strateeg").post(
        "/groepen/nieuw/", {"name": "Test", "rule": "support.annual >"}
    )

    assert response.status_code == 200
    assert (
        "een waarde verwacht, maar vond het einde van de regel (positie 17)"
        in response.content.decode()
    )
    assert not Group.objects.filter(name="Test").exists()


def test_a_strategist_creates_a_group(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("strateeg").post(
        "/groepen/nieuw/", {"name": "Utrechters", "rule": "relation.city = 'Utrecht'"}
    )

    assert (response.status_code, response["Location"]) == (302, "/groepen/")
    group = Group.objects.get(key="utrechters")
    assert (group.name, group.rule, group.is_preset) == (
        "Utrechters",
        "relation.city = 'Utrecht'",
        False,
    )


def test_a_strategist_changes_and_deletes_a_group(login: Callable[[str], Client]) -> None:
    Group.objects.create(key="utrecht", name="Utrecht", rule="relation.city = 'Utrecht'")
    client = login("strateeg")

    client.post("/groepen/utrecht/", {"name": "Utrecht stad", "rule": "relation.city = 'X'"})
    changed = Group.objects.get(key="utrecht")
    client.post("/groepen/utrecht/verwijderen/")

    assert (changed.name, changed.rule) == ("Utrecht stad", "relation.city = 'X'")
    assert not Group.objects.filter(key="utrecht").exists()


def test_a_preset_group_is_not_deleted(login: Callable[[str], Client]) -> None:
    response = login("strateeg").post("/groepen/trouwe-donateurs/verwijderen/", follow=True)

    assert "Een standaardgroep kan niet worden verwijderd." in response.content.decode()
    assert Group.objects.filter(key="trouwe-donateurs").exists()


def test_the_group_list_shows_each_rule_in_words_with_the_code_on_hover(
    login: Callable[[str], Client],
) -> None:
    page = login("kijker").get("/groepen/").content.decode()

    assert '<span class="rule" title="support.annual &gt;= 1000">jaarsteun ≥ € 1.000</span>' in page
    assert (
        '<span class="rule" title="gifts.count_12m &gt;= 4 and not mandate.active">'
        "aantal giften in 12 maanden ≥ 4 en heeft geen actieve machtiging</span>"
    ) in page
    assert "<code>support.annual" not in page


def test_the_live_count_says_how_it_reads_the_rule(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    ok = login("kijker").post("/groepen/tellen/", {"rule": "gifts.last < today - 18 months"})

    assert "Koers leest: laatste gift meer dan 18 maanden geleden" in ok.content.decode()


@pytest.mark.parametrize(
    ("rule", "marked", "message"),
    [
        (
            "(" * 500 + "mandate.active" + ")" * 500,
            "(" * 20 + "<mark>(</mark>",
            "de regel is te diep genest: hoogstens 20 haakjes of &#x27;not&#x27; binnen elkaar; "
            "schrijf hem eenvoudiger",
        ),
        (
            " or ".join(["consent.sms"] * 2000),
            "consent.sms or " * 200 + "<mark>consent.sms</mark>",
            "de regel heeft te veel voorwaarden: hoogstens 200 (elke waarde in een lijst telt "
            "mee); verdeel hem over meer groepen",
        ),
    ],
    ids=["500 parentheses", "2000 terms"],
)
def test_the_live_count_explains_a_rule_too_deep_or_too_long_and_stores_nothing(
    login: Callable[[str], Client],
    relations: dict[str, Relation],
    rule: str,
    marked: str,
    message: str,
) -> None:
    groups = Group.objects.count()

    response = login("kijker").post("/groepen/tellen/", {"rule": rule})

    page = response.content.decode()
    assert response.status_code == 200
    assert f"<p>{message}</p>" in page
    assert f'<code class="rule-echo">{marked}' in page
    assert Group.objects.count() == groups
