"""The pages as each role sees them: what may be opened, and what the page then shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.test import Client

from koers.groups.models import Group
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


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_open_a_relation(
    login: Callable[[str], Client], relations: dict[str, Relation], role: str
) -> None:
    assert login(role).get(f"/relaties/{relations['anna'].pk}/").status_code == 200


def test_a_refused_delete_leaves_the_group(login: Callable[[str], Client]) -> None:
    login("analist").post("/groepen/trouwe-donateurs/verwijderen/")

    assert Group.objects.filter(key="trouwe-donateurs").exists()


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


def test_a_nul_byte_in_a_search_gets_a_page_that_says_so(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    client = login("kijker")

    found = client.get("/relaties/", {"q": "Jan\x00sen"})
    counted = client.post("/groepen/tellen/", {"rule": "relation.city = 'a\x00'"})

    assert (found.status_code, counted.status_code) == (400, 400)
    assert "een teken dat niet in een tekst hoort (een NUL-teken)" in found.content.decode()
