"""The relations' pages: list, search, group filter, paging and one relation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from koers.groups.models import Group
from koers.relations.models import Relation

ROLES = ["beheerder", "strateeg", "analist", "beller", "kijker"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_open_a_relation(
    login: Callable[[str], Client], relations: dict[str, Relation], role: str
) -> None:
    assert login(role).get(f"/relaties/{relations['anna'].pk}/").status_code == 200


def test_search_finds_by_name_and_shows_dutch_money(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("kijker").get("/relaties/", {"q": "jansen"})

    page = response.content.decode()
    assert [r.external_id for r in response.context["page"].object_list] == ["1001"]
    assert "€ 1.234,56" in page and "01-06-2026" in page and "1 relatie voor" in page


def test_the_list_is_alphabetical_with_organisations_among_the_people(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("kijker").get("/relaties/")

    names = [r.sort_name for r in response.context["page"].object_list]
    assert names == ["Bakkerij Kramer", "Jansen, Anna", "Smit, Cor", "Vries, Bert de"]


def test_the_group_filter_shows_only_members(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("kijker").get("/relaties/", {"groep": "structurele-donateurs"})

    assert [r.external_id for r in response.context["page"].object_list] == ["1002"]
    assert "1 relatie in <strong>Structurele donateurs met machtiging</strong>" in (
        response.content.decode()
    )


def test_search_and_group_filter_combine(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    Group.objects.create(key="utrecht", name="Utrecht", rule="relation.city = 'Utrecht'")

    response = login("kijker").get("/relaties/", {"groep": "utrecht", "q": "smit"})

    assert [r.external_id for r in response.context["page"].object_list] == ["1003"]


def test_an_htmx_request_gets_only_the_table(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    full = client.get("/relaties/", {"q": "Utrecht"})
    partial = client.get("/relaties/", {"q": "Utrecht"}, headers={"HX-Request": "true"})

    assert "<html" in full.content.decode() and "<html" not in partial.content.decode()
    assert "2 relaties" in partial.content.decode()
    assert partial["Vary"] == "HX-Request, Cookie"


def test_the_back_button_gets_the_whole_page(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("kijker").get(
        "/relaties/",
        {"q": "Utrecht"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()


def test_the_relation_page_shows_everything_known(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    page = login("kijker").get(f"/relaties/{relations['anna'].pk}/").content.decode()

    assert "Anna Jansen" in page and "Platina" in page
    assert "Petitie" in page and "01-04-2025" in page
    assert "Gift ontvangen · € 1.234,56 · Zomeractie" in page
    assert "Toestemming gegeven · e-mail · toestemming" in page


def test_a_relation_without_facts_says_they_are_not_computed(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    page = login("kijker").get(f"/relaties/{relations['kramer'].pk}/").content.decode()

    assert "Nog niet berekend." in page
    assert "Geen toestemmingen vastgelegd" in page and "Nog geen giften." in page


def test_a_storno_shows_its_reason_in_words(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    page = login("kijker").get(f"/relaties/{relations['bert'].pk}/").content.decode()

    assert "02-03-2026 · € 10,00 · MD06: teruggeboekt op verzoek van de rekeninghouder" in page


def test_a_page_number_past_the_end_shows_the_first_page_and_says_so(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    for number in ("99999999999999999999", "1000000000", "3"):
        response = client.get("/relaties/", {"pagina": number})

        page = response.context["page"]
        assert response.status_code == 200
        assert (page.number, page.missing, len(page.object_list)) == (1, True, 4)
        assert "Die pagina bestaat niet (meer); dit is de eerste pagina." in (
            response.content.decode()
        )
    assert "bestaat niet" not in client.get("/relaties/", {"pagina": "1"}).content.decode()
