"""The calendar pages as each role uses them: the list, a calendar, the moment form, the year."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
import yaml
from django.test import Client

from koers.calendar.charts import month_chart
from koers.calendar.dates import DateRule
from koers.calendar.models import Calendar, Moment
from koers.calendar.personal import Trigger
from koers.calendar.plan import MomentSpec
from koers.charts import nice_ticks
from koers.tests.people import local

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.fixture(autouse=True)
def december() -> Iterator[None]:
    """The pages are used on Wednesday 2 December 2026; the year overview goes 2016 to 2036."""
    with time_machine.travel(local(2026, 12, 2), tick=False):
        yield


def text(response: Any) -> str:
    """The page as a person reads it: tags left in, entities such as &#x27; turned back."""
    return html.unescape(response.content.decode())


def moment_data(**changes: Any) -> dict[str, Any]:
    """The moment form filled in: the last Sunday of March, two days before, by card."""
    data = {
        "name": "Lentegroet",
        "key": "",
        "description": "Een groet aan het begin van de lente.",
        "kind": "yearly",
        "rule_kind": "weekday",
        "n": "-1",
        "weekday": "6",
        "month": "3",
        "day": "1",
        "holiday": "Nieuwjaarsdag",
        "offset": "-2",
        "trigger_kind": "first_gift_anniversary",
        "trigger_number": "",
        "groups": ["grote-gevers", "trouwe-donateurs"],
        "channel_1": "card",
        "channel_2": "email",
        "channel_3": "",
        "nature": "appreciate",
        "intensity": "3",
        "cost": "2,75",
        "minutes": "4",
        "holdout": "10",
        "pressure": "skip",
        "subject": "Een lentegroet",
        "body": "{{ aanhef }}, de lente is begonnen.",
        "script": "",
        "title": "",
        "role": "",
    }
    data.update(changes)
    return data


def errors(response: Any) -> dict[str, list[str]]:
    return {name: list(found) for name, found in response.context["form"].errors.items()}


@pytest.mark.parametrize(
    ("role", "method", "url", "status"),
    [
        ("kijker", "get", "/kalender/", 200),
        ("kijker", "get", "/kalender/voorbeeld/", 200),
        ("kijker", "get", "/kalender/voorbeeld/jaar/2027/", 200),
        ("kijker", "get", "/kalender/voorbeeld/export.yaml", 200),
        ("kijker", "get", "/kalender/voorbeeld/momenten/nieuw/", 403),
        ("kijker", "get", "/kalender/voorbeeld/momenten/kerst/", 403),
        ("kijker", "get", "/kalender/voorbeeld/momenten/kerst/verwijderen/", 403),
        ("kijker", "get", "/kalender/voorbeeld/instellingen/", 403),
        ("kijker", "post", "/kalender/voorbeeld/uitvoeren/", 403),
        ("kijker", "post", "/kalender/voorbeeld-installeren/", 403),
        ("analist", "get", "/kalender/voorbeeld/jaar/2027/", 200),
        ("analist", "post", "/kalender/voorbeeld/momenten/nieuw/", 403),
        ("beller", "get", "/kalender/", 403),
        ("beller", "get", "/kalender/voorbeeld/", 403),
        ("beller", "get", "/kalender/voorbeeld/jaar/2027/", 403),
        ("beller", "get", "/kalender/voorbeeld/jaar/2027/agenda.ics", 403),
        ("strateeg", "get", "/kalender/voorbeeld/momenten/nieuw/", 200),
        ("strateeg", "get", "/kalender/voorbeeld/momenten/kerst/", 200),
        ("strateeg", "get", "/kalender/voorbeeld/momenten/kerst/verwijderen/", 200),
        ("strateeg", "get", "/kalender/voorbeeld/instellingen/", 200),
        ("beheerder", "get", "/kalender/voorbeeld/momenten/nieuw/", 200),
    ],
)
def test_every_calendar_page_enforces_its_role(
    login: Login, example: Calendar, role: str, method: str, url: str, status: int
) -> None:
    assert getattr(login(role), method)(url).status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(example: Calendar) -> None:
    response = Client().get("/kalender/voorbeeld/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/login/?next=/kalender/voorbeeld/",
    )


def test_a_refused_post_changes_nothing(login: Login, example: Calendar) -> None:
    kijker = login("kijker")

    kijker.post("/kalender/voorbeeld/uitvoeren/", {"actief": "1"})
    kijker.post("/kalender/voorbeeld/momenten/kerst/verwijderen/")
    kijker.post("/kalender/voorbeeld/momenten/nieuw/", moment_data())

    example.refresh_from_db()
    assert (example.active, example.moments.count()) == (False, 11)


def test_the_menu_shows_the_calendar_to_who_may_see_it(login: Login) -> None:
    link = '<a href="/kalender/">Waarderingskalender</a>'

    assert link in login("kijker").get("/").content.decode()
    assert "/kalender/" not in login("beller").get("/").content.decode()


def test_the_menu_marks_the_calendar_while_on_its_pages(login: Login) -> None:
    page = login("kijker").get("/kalender/").content.decode()

    assert '<a href="/kalender/" aria-current="page">Waarderingskalender</a>' in page


def test_a_viewer_reads_the_calendar_without_buttons_to_change_it(
    login: Login, example: Calendar
) -> None:
    page = text(login("kijker").get("/kalender/voorbeeld/"))

    assert "Nieuwjaarsdag, 2 dagen erna" in page
    assert "Eerste kerstdag, 7 dagen ervoor" in page
    assert "Jaarlijks op de dag van de eerste gift" in page
    assert "Grote gevers, Structurele donateurs met machtiging, Trouwe donateurs" in page
    assert '<span class="nowrap">e-mail</span> → <span class="nowrap">brief</span>' in page
    assert "€ 2,50" in page
    for button in ("Moment toevoegen", "Bewerken", "Verwijderen", "Uitvoering starten"):
        assert button not in page


def test_a_strategist_sees_the_moments_in_two_sections_with_their_buttons(
    login: Login, example: Calendar
) -> None:
    page = text(login("strateeg").get("/kalender/voorbeeld/"))
    yearly, personal = page.split('id="relatiekalender"')

    assert yearly.count('<tr id="moment-') == 5
    assert personal.count('<tr id="moment-') == 6
    assert '<span class="badge nature-appreciate">waarderen</span>' in yearly
    assert '<a href="/kalender/voorbeeld/momenten/kerst/">Bewerken' in yearly
    assert "Uitvoering starten" in page


def test_without_a_calendar_a_strategist_may_install_the_example(login: Login) -> None:
    strategist = login("strateeg")

    page = text(strategist.get("/kalender/"))
    response = strategist.post("/kalender/voorbeeld-installeren/")

    assert "Er is nog geen waarderingskalender" in page
    assert "Voorbeeldkalender installeren" in page
    assert (response.status_code, response["Location"]) == (302, "/kalender/voorbeeld/")
    assert Calendar.objects.get().moments.count() == 11


def test_a_viewer_is_told_who_can_make_a_calendar(login: Login) -> None:
    page = text(login("kijker").get("/kalender/"))

    assert "Voorbeeldkalender installeren" not in page
    assert "Een strateeg kan een kalender aanmaken" in page


def test_installing_the_example_twice_keeps_the_changed_calendar(
    login: Login, example: Calendar
) -> None:
    Moment.objects.filter(key="kerst").delete()

    response = login("strateeg").post("/kalender/voorbeeld-installeren/", follow=True)

    assert "De voorbeeldkalender is al geïnstalleerd." in text(response)
    assert example.moments.count() == 10


def test_the_list_counts_moments_by_kind_and_says_whether_it_runs(
    login: Login, example: Calendar
) -> None:
    page = text(login("kijker").get("/kalender/"))

    assert '<td class="num">5</td>' in page
    assert '<td class="num">6</td>' in page
    assert "niet in uitvoering" in page
    assert '<a href="/kalender/voorbeeld/jaar/2026/">Jaaroverzicht 2026</a>' in page


def test_a_moment_with_mistakes_names_each_one_and_saves_nothing(
    login: Login, example: Calendar
) -> None:
    data = moment_data(key="Kerst Kaart!", cost="twee euro", groups=[], channel_1="email")
    data.update(channel_2="", subject="")

    response = login("strateeg").post("/kalender/voorbeeld/momenten/nieuw/", data)

    assert response.status_code == 200
    assert errors(response) == {
        "key": ["een sleutel van kleine letters, cijfers en streepjes, zoals 'kerstkaart'"],
        "cost": ["een bedrag in euro per contact, zoals 2,50; niet 'twee euro'"],
        "groups": ["Kies minstens één relatiegroep, of vink 'Alle relaties' aan."],
        "subject": ["Vul dit in: het moment kan per e-mail gaan."],
    }
    page = text(response)
    assert "Niet alles klopt nog:" in page
    assert '<a href="#veld-cost">Kosten (€)</a>: een bedrag in euro per contact' in page
    assert example.moments.count() == 11


def test_a_relation_moment_that_needs_a_number_asks_for_it(login: Login, example: Calendar) -> None:
    data = moment_data(kind="relation", trigger_kind="nth_gift", trigger_number="")

    response = login("strateeg").post("/kalender/voorbeeld/momenten/nieuw/", data)

    assert errors(response) == {
        "trigger_number": ["Bij de hoeveelste gift? Vul een aantal giften in."]
    }
    assert example.moments.count() == 11


def test_a_day_that_does_not_exist_is_refused_in_words(login: Login, example: Calendar) -> None:
    data = moment_data(rule_kind="date", day="31", month="2")

    response = login("strateeg").post("/kalender/voorbeeld/momenten/nieuw/", data)

    assert errors(response) == {"day": ["31 februari bestaat niet."]}


def test_a_key_already_used_in_the_calendar_is_refused(login: Login, example: Calendar) -> None:
    response = login("strateeg").post(
        "/kalender/voorbeeld/momenten/nieuw/", moment_data(key="kerst")
    )

    assert errors(response) == {
        "key": ["Deze kalender heeft al een moment met de sleutel 'kerst'."]
    }
    assert example.moments.get(key="kerst").name == "Kerstkaart"


def test_the_organisations_birthday_needs_a_founding_date(
    login: Login, only_major_donors: Calendar
) -> None:
    only_major_donors.founded_on = None
    only_major_donors.save()

    response = login("strateeg").post(
        "/kalender/alleen-groot/momenten/nieuw/", moment_data(rule_kind="anniversary")
    )

    assert errors(response) == {
        "rule_kind": [
            "Deze kalender heeft nog geen oprichtingsdatum. Vul die eerst in bij de instellingen van de kalender."
        ]
    }


def test_a_new_moment_is_saved_as_the_calendar_reads_it(login: Login, example: Calendar) -> None:
    response = login("strateeg").post("/kalender/voorbeeld/momenten/nieuw/", moment_data())

    assert (response.status_code, response["Location"]) == (
        302,
        "/kalender/voorbeeld/#moment-lentegroet",
    )
    assert example.spec().moment("lentegroet") == MomentSpec(
        key="lentegroet",
        name="Lentegroet",
        rule=DateRule("weekday", month=3, n=-1, weekday=6, offset=-2),
        trigger=None,
        groups=("grote-gevers", "trouwe-donateurs"),
        channels=("card", "email"),
        nature="appreciate",
        intensity=3,
        cost_cents=275,
        minutes=4,
        holdout=10,
        pressure="skip",
        content={"subject": "Een lentegroet", "body": "{{ aanhef }}, de lente is begonnen."},
        description="Een groet aan het begin van de lente.",
    )
    assert example.moments.get(key="lentegroet").position == 11


def test_a_relation_moment_for_everyone_is_saved(login: Login, example: Calendar) -> None:
    data = moment_data(kind="relation", trigger_kind="milestone", trigger_number="1000")
    data.update(name="Duizend euro", groups=[], everyone="on", nature="thank", cost="")

    login("strateeg").post("/kalender/voorbeeld/momenten/nieuw/", data)

    saved = example.spec().moment("duizend-euro")
    assert (saved.rule, saved.trigger, saved.everyone, saved.groups) == (
        None,
        Trigger("milestone", 1000),
        True,
        (),
    )
    assert (saved.nature, saved.cost_cents) == ("thank", None)


@pytest.mark.parametrize("key", ["kerst", "nieuwjaar", "eerste-gift-jubileum", "impactbezoek"])
def test_saving_a_moment_unchanged_keeps_it_as_it_was(
    login: Login, example: Calendar, key: str
) -> None:
    strategist = login("strateeg")
    before = example.spec().moment(key)
    form = strategist.get(f"/kalender/voorbeeld/momenten/{key}/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}

    response = strategist.post(f"/kalender/voorbeeld/momenten/{key}/", data)

    assert response.status_code == 302, errors(response)
    assert example.spec().moment(key) == before


def test_an_edited_moment_keeps_its_key_and_place(login: Login, example: Calendar) -> None:
    data = moment_data(key="iets-anders", name="Kerstkaart 2.0")

    login("strateeg").post("/kalender/voorbeeld/momenten/kerst/", data)

    moment = example.moments.get(key="kerst")
    assert (moment.name, moment.position) == ("Kerstkaart 2.0", 4)
    assert not example.moments.filter(key="iets-anders").exists()


def test_deleting_a_moment_asks_first_then_removes_only_that_one(
    login: Login, example: Calendar
) -> None:
    strategist = login("strateeg")

    question = text(strategist.get("/kalender/voorbeeld/momenten/kerst/verwijderen/"))
    assert example.moments.count() == 11
    response = strategist.post("/kalender/voorbeeld/momenten/kerst/verwijderen/")

    assert "Moment 'Kerstkaart' verwijderen?" in question
    assert response["Location"] == "/kalender/voorbeeld/"
    assert example.moments.count() == 10
    assert not example.moments.filter(key="kerst").exists()


def test_the_settings_are_saved_and_the_moments_stay(login: Login, example: Calendar) -> None:
    data = {
        "name": "Onze kalender",
        "description": "",
        "founded_on": "01-04-1990",
        "lookahead_days": "21",
        "max_per_month": "2",
    }

    response = login("strateeg").post("/kalender/voorbeeld/instellingen/", data)

    example.refresh_from_db()
    assert response["Location"] == "/kalender/voorbeeld/"
    assert (example.name, str(example.founded_on), example.lookahead_days) == (
        "Onze kalender",
        "1990-04-01",
        21,
    )
    assert (example.max_per_month, example.moments.count()) == (2, 11)


def test_the_founding_date_cannot_go_while_a_moment_needs_it(
    login: Login, example: Calendar
) -> None:
    data = {"name": "X", "founded_on": "", "lookahead_days": "14", "max_per_month": "4"}

    response = login("strateeg").post("/kalender/voorbeeld/instellingen/", data)

    assert errors(response) == {
        "founded_on": [
            "Nodig voor 'Onze verjaardag, uw verdienste', dat op de verjaardag van de organisatie valt."
        ]
    }
    example.refresh_from_db()
    assert example.name == "Waarderingskalender (voorbeeld)"


def test_a_strategist_starts_and_stops_the_calendar(login: Login, example: Calendar) -> None:
    strategist = login("strateeg")

    strategist.post("/kalender/voorbeeld/uitvoeren/", {"actief": "1"})
    example.refresh_from_db()
    started = example.active
    response = strategist.post("/kalender/voorbeeld/uitvoeren/", {"actief": "0"}, follow=True)
    example.refresh_from_db()

    assert (started, example.active) == (True, False)
    assert "wordt niet meer uitgevoerd" in text(response)


def test_the_year_shows_the_findings_of_a_calendar_that_misses_a_group(
    login: Login, only_major_donors: Calendar, structural_donor: Any
) -> None:
    page = text(login("kijker").get("/kalender/alleen-groot/jaar/2027/"))

    assert '<span class="verdict fail">1 van de 4 niet in orde</span>' in page
    coverage = page.split('id="controle-coverage"')[1].split("</article>")[0]
    assert '<span class="verdict fail">niet in orde</span>' in coverage
    assert (
        "<li>Structurele donateurs met machtiging: 1 van de 1 relaties krijgt dit jaar geen "
        "enkel waarderingsmoment.</li>"
    ) in coverage
    balance = page.split('id="controle-balance"')[1].split("</article>")[0]
    assert '<span class="verdict ok">in orde</span>' in balance


def test_the_year_shows_totals_charts_and_tables(
    login: Login, example: Calendar, structural_donor: Any
) -> None:
    page = text(login("kijker").get("/kalender/voorbeeld/jaar/2027/"))

    assert "zonder de bedankjes uit de klantreizen" in page
    assert ">Klantreizen meetellen</a>" in page
    assert '<title id="maanden-title">Contactmomenten per maand</title>' in page
    assert '<title id="uren-title">Uren werk per week</title>' in page
    assert "<title>januari: 1 keer waarderen, 0 keer bedanken</title>" in page
    assert '<span class="swatch appreciate"></span>waarderen</span>' in page
    assert '<th scope="row" class="wrap">Structurele donateurs met machtiging</th>' in page
    assert '<th scope="row" class="wrap">Jubileum van de machtiging<br>' in page
    assert '<a class="button" href="/kalender/voorbeeld/jaar/2026/" rel="prev">' in page
    assert '<a class="button" href="/kalender/voorbeeld/jaar/2028/" rel="next">' in page


def test_a_calendar_without_moments_shows_an_empty_year(
    login: Login, example: Calendar, structural_donor: Any
) -> None:
    Moment.objects.all().delete()

    response = login("kijker").get("/kalender/voorbeeld/jaar/2027/")

    assert response.status_code == 200
    assert "Deze kalender heeft nog geen momenten." in text(response)
    assert '<span class="verdict fail">niet in orde</span> 1.' in text(response)


def test_an_htmx_request_gets_only_the_year(login: Login, example: Calendar) -> None:
    response = login("kijker").get("/kalender/voorbeeld/jaar/2027/", HTTP_HX_REQUEST="true")

    assert "<html" not in response.content.decode()
    assert "Controles" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/kalender/voorbeeld/jaar/2037/",
        "/kalender/voorbeeld/jaar/0/",
        "/kalender/onbekend/jaar/2027/",
        "/kalender/onbekend/",
        "/kalender/voorbeeld/momenten/onbekend/verwijderen/",
    ],
)
def test_an_unknown_calendar_or_year_is_not_found(
    login: Login, example: Calendar, url: str
) -> None:
    response = login("strateeg").get(url)

    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in text(response)


def test_the_calendar_downloads_as_yaml_excel_and_icalendar(
    login: Login, example: Calendar, structural_donor: Any
) -> None:
    viewer = login("kijker")

    plan = viewer.get("/kalender/voorbeeld/export.yaml")
    sheet = viewer.get("/kalender/voorbeeld/jaar/2027/overzicht.xlsx")
    agenda = viewer.get("/kalender/voorbeeld/jaar/2027/agenda.ics")

    assert plan["Content-Disposition"] == 'attachment; filename="voorbeeld.yaml"'
    assert len(yaml.safe_load(plan.content)["moments"]) == 11
    assert sheet["Content-Disposition"] == 'attachment; filename="voorbeeld-2027.xlsx"'
    assert sheet.content[:2] == b"PK"
    assert agenda["Content-Type"] == "text/calendar; charset=utf-8"
    assert agenda.content.startswith(b"BEGIN:VCALENDAR")


def test_the_month_chart_stacks_thanks_on_appreciation() -> None:
    months = [{"appreciate": 0, "thank": 0, "cost_cents": 0} for _ in range(12)]
    months[0] = {"appreciate": 300, "thank": 100, "cost_cents": 0}

    chart = month_chart(months, journeys=True)

    january = chart.bars[0]
    assert [(r.css, r.height) for r in january.rects] == [("appreciate", 189.0), ("thank", 63.0)]
    assert january.rects[1].y + january.rects[1].height == january.rects[0].y
    assert january.label == "400"
    assert [t.label for t in chart.y_ticks] == ["0", "100", "200", "300", "400"]
    assert chart.x_ticks[11].label == "dec"


@pytest.mark.parametrize(
    ("highest", "least", "ticks"),
    [
        (0, 1, [0.0, 1.0]),
        (3, 1, [0, 1, 2, 3]),
        (7, 1, [0, 2, 4, 6, 8]),
        (2082, 1, [0, 500, 1000, 1500, 2000, 2500]),
        (42.3, 0.5, [0, 10, 20, 30, 40, 50]),
        (0.13, 0.5, [0, 0.5]),
    ],
)
def test_chart_axes_count_in_round_steps(highest: float, least: float, ticks: list[float]) -> None:
    assert nice_ticks(highest, least=least) == ticks


def test_a_text_that_reaches_beyond_the_relation_is_refused_next_to_its_field(
    login: Login, example: Calendar
) -> None:
    data = moment_data(
        body="{{ aanhef }} {% for e in relatie.enrollments.all %}{{ e }}{% endfor %}",
        subject="Een groet voor {{ klant }}",
    )

    response = login("strateeg").post("/kalender/voorbeeld/momenten/nieuw/", data)

    assert errors(response) == {
        "subject": [
            "onbekende variabele 'klant'; gebruik een van: aanhef, naam, voornaam, organisatie, "
            "organisation, bedrag, bedrag_per_jaar, frequentie, datum, afmelden, trigger, "
            "relatie, relation"
        ],
        "body": [
            "'{% for %}' kan niet in een tekst; alleen {% if %} (met {% elif %}, {% else %} en "
            "{% endif %}) en {% comment %} kunnen"
        ],
    }
    assert example.moments.count() == 11
