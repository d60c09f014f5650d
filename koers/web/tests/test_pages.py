from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.test import Client

from koers.groups.models import Group
from koers.relations.models import Relation
from koers.web.templatetags.koers import datum, euro, getal


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("kijker", "/relaties/", 200),
        ("beller", "/relaties/", 200),
        ("beller", "/groepen/", 403),
        ("kijker", "/groepen/", 200),
        ("kijker", "/groepen/nieuw/", 403),
        ("analist", "/groepen/nieuw/", 403),
        ("strateeg", "/groepen/nieuw/", 200),
        ("beheerder", "/groepen/nieuw/", 200),
        ("strateeg", "/admin/", 302),
        ("beheerder", "/admin/", 200),
    ],
)
def test_every_page_enforces_its_role(
    login: Callable[[str], Client], role: str, url: str, status: int
) -> None:
    assert login(role).get(url).status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(db: None) -> None:
    response = Client().get("/relaties/")

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/relaties/")


def test_a_forbidden_page_explains_itself_in_dutch(login: Callable[[str], Client]) -> None:
    response = login("beller").get("/groepen/")

    assert "Uw rol geeft geen toegang tot deze pagina." in response.content.decode()


def test_search_finds_by_name_and_shows_dutch_money(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("kijker").get("/relaties/", {"q": "jansen"})

    page = response.content.decode()
    assert [r.external_id for r in response.context["page"].object_list] == ["1001"]
    assert "€ 1.234,56" in page and "01-06-2026" in page


def test_the_group_filter_shows_only_members(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("kijker").get("/relaties/", {"groep": "structurele-donateurs"})

    assert [r.external_id for r in response.context["page"].object_list] == ["1002"]


def test_an_htmx_request_gets_only_the_table(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    full = client.get("/relaties/", {"q": "Utrecht"}).content.decode()
    partial = client.get(
        "/relaties/", {"q": "Utrecht"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "<html" in full and "<html" not in partial
    assert "2 relaties" in partial


def test_the_relation_page_shows_facts_consents_and_timeline(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    page = login("kijker").get(f"/relaties/{relations['anna'].pk}/").content.decode()

    assert "Anna Jansen" in page
    assert "Platina" in page
    assert "Geen toestemmingen vastgelegd" in page


def test_the_live_count_counts_or_points_at_the_mistake(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    ok = client.post("/groepen/tellen/", {"rule": "relation.city = 'utrecht'"}).content.decode()
    bad = client.post("/groepen/tellen/", {"rule": "gifts.cont >= 3"}).content.decode()

    assert "2 relaties voldoen aan deze regel" in ok
    assert "<mark>gifts.cont &gt;= 3</mark>" in bad
    assert "onbekend veld &#x27;gifts.cont&#x27; (bedoelde u &#x27;gifts.count&#x27;?)" in bad


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


def test_dutch_is_the_default_and_english_can_be_chosen(login: Callable[[str], Client]) -> None:
    client = login("kijker")

    dutch = client.get("/", headers={"Accept-Language": "en-US"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/")

    assert '<html lang="nl">' in dutch.content.decode()
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (123456, "€ 1.234,56"),
        (0, "€ 0,00"),
        (-500, "€ -5,00"),
        (100000000, "€ 1.000.000,00"),
        (None, ""),
    ],
)
def test_money_is_written_the_dutch_way(cents: int | None, text: str) -> None:
    assert euro(cents) == text


def test_dates_and_numbers_are_written_the_dutch_way() -> None:
    assert datum(date(2026, 11, 23)) == "23-11-2026"
    assert datum(datetime(2026, 11, 23, 9, 5)) == "23-11-2026 09:05"
    assert getal(1234567) == "1.234.567"


def test_the_english_interface_is_translated(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get("/relaties/").content.decode()

    assert "All relations" in page and "3 relations" in page and "Last gift" in page


def test_every_interface_text_has_an_english_translation() -> None:
    from pathlib import Path

    import polib

    catalogue = polib.pofile(str(Path(__file__).parents[2] / "locale/en/LC_MESSAGES/django.po"))

    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
