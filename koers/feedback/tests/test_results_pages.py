"""The feedback results pages as each role uses them: the instruments, one instrument's
figures, the comments with their filters, and the Excel download."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from koers.feedback.choices import ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.feedback.tests.conftest import answers
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Relation

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
# 45 promoters, 35 passives, 20 detractors: NPS +25, adjusted Wald 95% +9,5 to +39,1
# (docs/feedback.md, "The figures", the worked example).
KNOWN = [10] * 45 + [8] * 35 + [3] * 20


@pytest.fixture(autouse=True)
def december() -> Iterator[None]:
    """The pages are read on Wednesday 2 December 2026."""
    with time_machine.travel(local(2026, 12, 2), tick=False):
        yield


def text(response: Any) -> str:
    """The page as a person reads it: entities such as &#x27; turned back."""
    return html.unescape(response.content.decode())


URLS = [
    "/feedback/",
    "/feedback/nps-relatie/",
    "/feedback/nps-relatie/export.xlsx",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [("beheerder", 200), ("strateeg", 200), ("analist", 200), ("kijker", 200), ("beller", 403)],
)
def test_each_role_may_read_the_results_except_the_caller(
    login: Login, role: str, status: int, url: str
) -> None:
    assert login(role).get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("beheerder", 200), ("strateeg", 200), ("analist", 200), ("kijker", 403), ("beller", 403)],
)
def test_only_roles_that_see_personal_data_read_the_comments(
    login: Login, role: str, status: int
) -> None:
    assert login(role).get("/feedback/nps-relatie/opmerkingen/").status_code == status


def test_a_viewers_download_has_no_comments_with_relation_numbers(
    login: Login, comments: dict[str, Relation]
) -> None:
    viewer = login("kijker")
    response = viewer.get("/feedback/nps-relatie/export.xlsx")
    page = text(viewer.get("/feedback/nps-relatie/"))

    book = load_workbook(BytesIO(response.content))
    assert "Opmerkingen" not in book.sheetnames
    assert book.sheetnames[0] == "Samenvatting"
    assert "Opmerkingen lezen" not in page


def test_without_a_login_the_results_ask_to_log_in(client: Client) -> None:
    response = client.get("/feedback/nps-relatie/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_list_shows_each_instrument_with_its_figure_or_that_there_are_too_few(
    login: Login,
) -> None:
    answers("nps-relatie", KNOWN)
    answers("nps-contact", [9] * 12)

    page = text(login("kijker").get("/feedback/"))

    assert 'NPS +25</span> <span class="muted">(95%: +9,5 tot +39,1)' in page
    assert "nog niet genoeg antwoorden (12 van de minimaal 30)" in page
    assert "nog geen antwoorden" in page  # the thumbs
    assert "één contactmoment" in page and "de relatie" in page


def test_the_instrument_page_shows_the_nps_its_interval_and_the_three_groups(
    login: Login,
) -> None:
    answers("nps-relatie", KNOWN)

    response = login("analist").get("/feedback/nps-relatie/")

    figure = response.context["summary"].figure
    assert (figure.value, figure.interval, figure.n) == ("+25", "+9,5 tot +39,1", 100)
    page = text(response)
    assert "NPS +25" in page and "95%-interval: +9,5 tot +39,1" in page
    assert "100</span>" in page and "bevestigde antwoorden (minimaal 30 nodig)" in page
    assert [(p.label, p.count, p.share) for p in response.context["parts"]] == [
        ("Promoters", 45, "45%"),
        ("Passief", 35, "35%"),
        ("Criticasters", 20, "20%"),
    ]
    assert "Nog niet genoeg" not in page


def test_an_instrument_without_answers_says_so(login: Login) -> None:
    page = text(login("kijker").get("/feedback/duim/"))

    assert "Nog geen bevestigde antwoorden." in page
    assert "95%-interval:" not in page


def test_provisional_answers_are_not_counted(login: Login) -> None:
    answers("nps-relatie", KNOWN)
    # Five clicks in an e-mail (perhaps a scanner's), never confirmed on the page.
    answers("nps-relatie", [0] * 5, status=ResponseStatus.PROVISIONAL)

    response = login("analist").get("/feedback/nps-relatie/")

    figure = response.context["summary"].figure
    assert (figure.n, figure.value, figure.interval) == (100, "+25", "+9,5 tot +39,1")
    assert "5 klikken uit e-mails zijn nog niet bevestigd en tellen niet mee." in text(response)


def test_a_small_instrument_says_there_are_not_enough_answers_yet(login: Login) -> None:
    answers("nps-contact", [10, 2, 2])

    page = text(login("analist").get("/feedback/nps-contact/"))

    assert "Nog niet genoeg antwoorden: 3 van de minimaal 30." in page
    assert "Het cijfer is nog te onzeker om op te sturen." in page
    assert "NPS \u221233" in page  # a real minus sign


def test_the_breakdown_by_channel_shows_each_channels_n_and_greys_a_small_one(
    login: Login,
) -> None:
    answers("nps-relatie", [10] * 20 + [8] * 10 + [2] * 10, channel="email")
    answers("nps-relatie", [10, 2, 2], channel="letter")

    response = login("analist").get("/feedback/nps-relatie/", {"per": "channel"})

    rows = response.context["rows"]
    assert [(r.label, r.n, r.value, r.enough) for r in rows] == [
        ("brief", 3, "\u221233", False),
        ("e-mail", 40, "+25", True),
    ]
    assert rows[1].interval == "\u22121,4 tot +47,9"
    page = text(response)
    assert '<tr class="too-few">' in page
    assert "Nog niet genoeg antwoorden: 3 van de minimaal 30." in page
    assert page.count('<svg class="interval"') == 1  # no bar for the small row


def test_an_interval_bar_is_drawn_to_scale(login: Login) -> None:
    answers("nps-relatie", KNOWN, channel="email")

    response = login("analist").get("/feedback/nps-relatie/", {"per": "channel"})

    # -100..+100 drawn from x 10 to 310: +9,48 lies at 10 + 109,48 / 200 * 300 = 174,22
    bar = response.context["rows"][0].bar
    assert (bar.low, bar.point, bar.high, bar.zero) == (174.22, 197.5, 218.6, 160.0)
    assert bar.title == "e-mail: NPS +25 (95%: +9,5 tot +39,1), n = 100"


def test_thumbs_show_the_share_up_with_a_wilson_interval(login: Login) -> None:
    answers("duim", [1] * 30 + [0] * 10, channel="email")

    response = login("kijker").get("/feedback/duim/", {"per": "channel"})

    # Wilson: p = 0,75, n = 40 gives 0,598 to 0,858.
    figure = response.context["summary"].figure
    assert (figure.value, figure.interval) == ("75%", "60% tot 86%")
    assert [(r.label, r.n, r.value) for r in response.context["rows"]] == [("e-mail", 40, "75%")]
    assert '75% <span class="unit">duim omhoog</span>' in text(response)
    chart = response.context["chart"]
    assert chart.title == "Duim omhoog per maand" and chart.y_ticks[-1].label == "100%"
    assert [p.title for p in chart.points] == [
        "november 2026: 75% duim omhoog (95%: 60% tot 86%), n = 40"
    ]


def test_the_trend_shows_months_without_enough_answers_as_open_points_and_gaps(
    login: Login,
) -> None:
    answers("nps-relatie", KNOWN, at=local(2026, 9, 10))
    answers("nps-relatie", [10, 9, 3], at=local(2026, 11, 20))

    chart = login("analist").get("/feedback/nps-relatie/").context["chart"]

    assert [(p.hollow, p.title) for p in chart.points] == [
        (False, "september 2026: NPS +25 (95%: +9,5 tot +39,1), n = 100"),
        (True, "november 2026: n = 3, te weinig antwoorden (minimaal 30)"),
    ]
    assert [t.label for t in chart.x_ticks] == ["sep 2026", "okt", "nov"]
    assert len(chart.runs) == 1 and chart.runs[0].line == ""  # one month alone: a band, no line
    assert "Laatste maand met genoeg antwoorden: september 2026" in chart.desc


def test_the_trend_per_quarter(login: Login) -> None:
    answers("nps-relatie", KNOWN, at=local(2026, 9, 10))
    answers("nps-relatie", [10] * 30, at=local(2026, 11, 20))

    response = login("analist").get("/feedback/nps-relatie/", {"periode": "kwartaal"})

    chart = response.context["chart"]
    assert [t.label for t in chart.x_ticks] == ["K3 2026", "K4 2026"]
    assert chart.title == "NPS per kwartaal"
    assert len(chart.runs) == 1 and chart.runs[0].line  # two quarters joined by a line
    page = text(response)
    assert '<title id="trend-title">NPS per kwartaal</title>' in page
    assert '<desc id="trend-desc">Lijn met de NPS per kwartaal' in page


def test_an_htmx_request_for_the_trend_gets_only_the_trend(login: Login) -> None:
    answers("nps-relatie", KNOWN)

    response = login("analist").get(
        "/feedback/nps-relatie/",
        {"periode": "kwartaal"},
        headers={"HX-Request": "true", "HX-Target": "trend"},
    )

    page = text(response)
    assert "<html" not in page and "Verloop per kwartaal" in page and "Per groep" not in page


def test_an_htmx_request_gets_only_the_breakdown(login: Login) -> None:
    answers("nps-relatie", KNOWN, channel="card")

    response = login("analist").get(
        "/feedback/nps-relatie/",
        {"per": "channel"},
        headers={"HX-Request": "true", "HX-Target": "uitsplitsing"},
    )

    page = text(response)
    assert "<html" not in page and "Per kanaal" in page and ">kaart</th>" in page
    assert "HX-Target" in response["Vary"]


@pytest.fixture
def comments() -> dict[str, Relation]:
    return {
        "1001": answers("nps-relatie", [10], comment="Fijn contact, dank!", number="1001",
                        at=local(2026, 11, 5)),
        "1002": answers("nps-relatie", [3], comment="Lange wachttijd aan de telefoon.",
                        channel="phone", number="1002", at=local(2026, 11, 20)),
        "1003": answers("nps-relatie", [7], comment="Te veel post.", channel="letter",
                        number="1003", at=local(2026, 10, 1)),
        "1004": answers("nps-relatie", [2], comment="Weer die wachttijd", channel="letter",
                        number="1004", at=local(2026, 9, 14)),
        "1005": answers("nps-relatie", [9], number="1005"),  # no comment: not listed
        "1006": answers("nps-relatie", [1], comment="Niet bevestigd", number="1006",
                        status=ResponseStatus.PROVISIONAL),
    }  # fmt: skip


def numbers(response: Any) -> list[str]:
    return [row.response.relation.external_id for row in response.context["rows"]]


def test_the_comments_are_listed_newest_first_with_date_score_band_and_relation(
    login: Login, comments: dict[str, Relation]
) -> None:
    response = login("analist").get("/feedback/nps-relatie/opmerkingen/")

    assert numbers(response) == ["1002", "1001", "1003", "1004"]
    page = text(response)
    assert "4 opmerkingen" in page
    assert "20-11-2026" in page and "Lange wachttijd aan de telefoon." in page
    assert "criticaster" in page and "passief" in page and "promoter" in page
    assert "telefoon" in page
    assert f'<a href="/relaties/{comments["1002"].pk}/">1002</a>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"score": "criticaster"}, ["1002", "1004"]),
        ({"score": "promoter"}, ["1001"]),
        ({"kanaal": "letter"}, ["1003", "1004"]),
        ({"q": "WACHTTIJD"}, ["1002", "1004"]),
        ({"van": "01-10-2026", "tot": "5-11-2026"}, ["1001", "1003"]),
        ({"van": "2026-11-06"}, ["1002"]),
        ({"score": "criticaster", "kanaal": "letter", "q": "wacht"}, ["1004"]),
    ],
)
def test_the_comments_filter(
    login: Login, comments: dict[str, Relation], query: dict[str, str], expected: list[str]
) -> None:
    response = login("analist").get("/feedback/nps-relatie/opmerkingen/", query)

    assert response.status_code == 200
    assert numbers(response) == expected
    assert not response.context["form"].errors


ALL = ["1002", "1001", "1003", "1004"]


@pytest.mark.parametrize(
    ("query", "message", "expected"),
    [
        (
            {"van": "31-02-2026"},
            "Van: De datum 31-02-2026 bestaat niet. Schrijf een datum als dd-mm-jjjj, bijvoorbeeld 05-11-2026.",
            ALL,
        ),
        (
            {"tot": "gisteren"},
            "Tot en met: 'gisteren' is geen datum. Schrijf een datum als dd-mm-jjjj, bijvoorbeeld 05-11-2026.",
            ALL,
        ),
        (
            {"van": "20-11-2026", "tot": "01-11-2026"},
            "Tot en met: De einddatum ligt vóór de begindatum.",
            ["1002"],
        ),
        (
            {"score": "heel-blij"},
            "Score: Selecteer een geldige keuze. heel-blij is geen beschikbare keuze.",
            ALL,
        ),
    ],
)
def test_bad_filter_input_says_what_is_wrong_and_lists_without_that_filter(
    login: Login,
    comments: dict[str, Relation],
    query: dict[str, str],
    message: str,
    expected: list[str],
) -> None:
    response = login("analist").get("/feedback/nps-relatie/opmerkingen/", query)

    assert response.status_code == 200
    page = text(response)
    assert message in page and "Een filter kon niet worden toegepast" in page
    assert numbers(response) == expected


def test_the_comments_are_paged(login: Login) -> None:
    for day in range(1, 28):
        answers("nps-relatie", [8], comment=f"Opmerking {day}", at=local(2026, 11, day))

    analyst = login("analist")
    first = analyst.get("/feedback/nps-relatie/opmerkingen/", {"kanaal": "email"})
    second = analyst.get("/feedback/nps-relatie/opmerkingen/", {"kanaal": "email", "pagina": "2"})

    assert len(first.context["rows"]) == 25
    assert "Pagina 1 van 2" in text(first)
    assert 'href="?kanaal=email&amp;pagina=2"' in first.content.decode()
    assert [r.response.comment for r in second.context["rows"]] == ["Opmerking 2", "Opmerking 1"]


def test_the_excel_download_holds_the_headline_breakdowns_and_comments(
    login: Login, comments: dict[str, Relation]
) -> None:
    # With the five confirmed answers of the comments: 45 promoters, 35 passives, 20 detractors.
    answers("nps-relatie", [10] * 43 + [8] * 34 + [3] * 18, channel="email")

    response = login("analist").get("/feedback/nps-relatie/export.xlsx")

    assert response["Content-Disposition"] == (
        'attachment; filename="feedback-nps-relatie-2026-12-02.xlsx"'
    )
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "Samenvatting", "Per groep", "Per stap", "Per moment", "Per kanaal", "Per maand",
        "Opmerkingen",
    ]  # fmt: skip
    summary = {row[0]: row[1] for row in book["Samenvatting"].iter_rows(values_only=True)}
    assert summary["bevestigde antwoorden (n)"] == 100
    assert summary["NPS"] == 25.0
    assert (summary["95%-interval, ondergrens"], summary["95%-interval, bovengrens"]) == (9.5, 39.1)
    assert (summary["promoters (9-10)"], summary["passief (7-8)"]) == (45, 35)
    assert summary["criticasters (0-6)"] == 20
    assert summary["nog niet bevestigd"] == 1
    sheet = book["Opmerkingen"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == [
        datetime(2026, 11, 20), 3, "criticaster", "telefoon", "1002",
        "Lange wachttijd aan de telefoon.",
    ]  # fmt: skip
    assert sheet["A2"].number_format == "DD-MM-YYYY"
    channels = list(book["Per kanaal"].iter_rows(values_only=True))
    assert channels[0][:2] == ("kanaal", "n")
    assert [(row[0], row[1], row[-1]) for row in channels[1:]] == [
        ("e-mail", 97, "ja"), ("brief", 2, "nee"), ("telefoon", 1, "nee"),
    ]  # fmt: skip


def test_a_mini_survey_has_no_headline_but_its_comments_and_download_work(login: Login) -> None:
    Instrument.objects.create(
        key="enquete", name="Korte enquête", kind="survey", scope="transactional",
        questions=[{"key": "open", "kind": "open", "text": {"nl": "Wat vond u ervan?"}}],
    )  # fmt: skip
    relation = donor("2001", "Bram")
    Response.objects.create(
        instrument=Instrument.objects.get(key="enquete"), relation=relation, score=None,
        answers={"open": "Goed"}, comment="Duidelijke brief.", channel="letter",
        status=ResponseStatus.CONFIRMED, answered_at=local(2026, 11, 3),
    )  # fmt: skip
    client = login("analist")

    assert "geen kerncijfer (een vragenlijst)" in text(client.get("/feedback/"))
    detail = client.get("/feedback/enquete/")
    assert detail.status_code == 200 and detail.context["summary"].n == 1
    listed = client.get("/feedback/enquete/opmerkingen/", {"kanaal": "letter"})
    assert numbers(listed) == ["2001"] and "score" not in listed.context["form"].fields
    book = load_workbook(BytesIO(client.get("/feedback/enquete/export.xlsx").content))
    assert book.sheetnames == ["Samenvatting", "Opmerkingen"]
    assert [c.value for c in book["Opmerkingen"][2]][:5] == [
        datetime(2026, 11, 3),
        None,
        None,  # no score, so no band: an empty cell
        "brief",
        "2001",
    ]


def test_the_instrument_page_reads_in_english_with_english_figures(login: Login) -> None:
    answers("nps-relatie", KNOWN, at=local(2026, 9, 10))
    answers("nps-relatie", [10, 9, 3], at=local(2026, 11, 20))
    analyst = login("analist")
    analyst.cookies["django_language"] = "en"

    response = analyst.get("/feedback/nps-relatie/")

    page = text(response)
    assert "95% interval: +9.8 to +39.2" in page
    assert "confirmed answers (at least 30 needed)" in page
    assert [p.label for p in response.context["parts"]] == ["Promoters", "Passive", "Detractors"]
    chart = response.context["chart"]
    assert [(p.hollow, p.title) for p in chart.points] == [
        (False, "September 2026: NPS +25 (95%: +9.5 to +39.1), n = 100"),
        (True, "November 2026: n = 3, too few answers (at least 30)"),
    ]
    assert [t.label for t in chart.x_ticks] == ["Sep 2026", "Oct", "Nov"]
    assert chart.title == "NPS per month"
    for dutch in ("tot ", "bevestigde", "Criticasters", "antwoorden"):
        assert dutch not in page
