"""The pages as each role sees them: what may be opened, and what the page then shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.test import Client

from koers.relations.models import Relation

ROLES = ["beheerder", "strateeg", "analist", "beller", "kijker"]


@pytest.mark.parametrize(
    ("role", "method", "url", "status"),
    [
        ("kijker", "get", "/", 200),
        ("", "get", "/", 200),
        ("", "get", "/relaties/", 403),
        ("kijker", "get", "/relaties/", 200),
        ("beller", "get", "/relaties/", 200),
        ("analist", "get", "/relaties/", 200),
        ("beller", "get", "/groepen/", 403),
        ("beller", "get", "/groepen/trouwe-donateurs/aantal/", 403),
        ("beller", "post", "/groepen/tellen/", 403),
        ("kijker", "get", "/groepen/", 200),
        ("kijker", "get", "/groepen/trouwe-donateurs/aantal/", 200),
        ("kijker", "post", "/groepen/tellen/", 200),
        ("kijker", "get", "/groepen/nieuw/", 403),
        ("kijker", "get", "/groepen/trouwe-donateurs/", 403),
        ("analist", "get", "/groepen/nieuw/", 403),
        ("analist", "post", "/groepen/trouwe-donateurs/verwijderen/", 403),
        ("strateeg", "get", "/groepen/nieuw/", 200),
        ("strateeg", "get", "/groepen/trouwe-donateurs/", 200),
        ("beheerder", "get", "/groepen/nieuw/", 200),
        ("strateeg", "get", "/admin/", 302),
        ("analist", "get", "/admin/", 302),
        ("beheerder", "get", "/admin/", 200),
    ],
)
def test_every_page_enforces_its_role(
    login: Callable[[str], Client], role: str, method: str, url: str, status: int
) -> None:
    assert getattr(login(role), method)(url).status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(db: None) -> None:
    response = Client().get("/relaties/")

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/relaties/")


def test_the_login_page_logs_in(db: None) -> None:
    User.objects.create_user(username="sanne", password="geheim-wachtwoord-1")
    client = Client()

    page = client.get("/login/").content.decode()
    wrong = client.post("/login/", {"username": "sanne", "password": "fout"})
    right = client.post("/login/", {"username": "sanne", "password": "geheim-wachtwoord-1"})

    assert "Inloggen bij Koers" in page
    assert "Gebruikersnaam of wachtwoord klopt niet." in wrong.content.decode()
    assert (right.status_code, right["Location"]) == (302, "/")


def test_a_forbidden_page_explains_itself_in_dutch(login: Callable[[str], Client]) -> None:
    response = login("beller").get("/groepen/")

    assert "Uw rol geeft geen toegang tot deze pagina." in response.content.decode()


def test_an_unknown_page_says_so_in_dutch(login: Callable[[str], Client]) -> None:
    response = login("kijker").get("/relaties/999999/")

    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_the_navigation_shows_only_what_the_role_may_open(
    login: Callable[[str], Client],
) -> None:
    def labels(role: str) -> list[str]:
        return [str(item["label"]) for item in login(role).get("/").context["nav"]]

    everything = [
        "Overzicht", "Relaties", "Groepen", "Klantreizen", "Waarderingskalender", "Feedback",
        "Inzichten", "Contactmomenten",
    ]  # fmt: skip
    assert labels("beheerder") == [*everything, "Bellijst", "Taken", "Beheer"]
    assert labels("strateeg") == [*everything, "Taken"]
    assert labels("beller") == ["Overzicht", "Relaties", "Contactmomenten", "Bellijst", "Taken"]


def test_the_home_page_shows_the_headline_numbers(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    response = login("kijker").get("/")

    assert response.context["figures"] == {
        "relations": 4,
        "donors": 1,
        "mandates": 1,
        "given": 123456,
    }
    assert "€ 1.234,56" in response.content.decode()


def test_dutch_is_the_default_and_english_can_be_chosen(login: Callable[[str], Client]) -> None:
    client = login("kijker")

    dutch = client.get("/", headers={"Accept-Language": "en-US"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/")

    assert '<html lang="nl">' in dutch.content.decode()
    assert '<html lang="en">' in english.content.decode()


def test_the_english_interface_is_translated(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get("/relaties/").content.decode()

    assert "All relations" in page and "4 relations" in page and "Last gift" in page


def test_only_the_administrator_role_opens_the_admin_site(db: None) -> None:
    user = User.objects.create_user(username="eva", password="x")
    administrators = Role.objects.get(name="beheerder")

    user.groups.add(administrators)
    staff_with_role = User.objects.get(pk=user.pk).is_staff
    administrators.user_set.remove(user)
    staff_without_role = User.objects.get(pk=user.pk).is_staff
    user.groups.add(Role.objects.get(name="strateeg"))

    assert (staff_with_role, staff_without_role) == (True, False)
    assert User.objects.get(pk=user.pk).is_staff is False


def test_a_nul_byte_in_a_search_gets_a_page_that_says_so(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    found = client.get("/relaties/", {"q": "Jan\x00sen"})
    counted = client.post("/groepen/tellen/", {"rule": "relation.city = 'a\x00'"})

    assert (found.status_code, counted.status_code) == (400, 400)
    assert "een teken dat niet in een tekst hoort (een NUL-teken)" in found.content.decode()
