"""`koers nps`: each instrument apart, with n and the interval, broken down on request."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from koers.feedback.choices import ResponseStatus
from koers.feedback.tests.conftest import answers
from koers.journeys.tests.conftest import local

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("nps", *args, stdout=out)
    return out.getvalue()


def test_each_instrument_is_reported_apart_with_its_interval() -> None:
    # 45 promoters, 35 passives, 20 detractors: NPS +25, adjusted 95% +9.5 to +39.1
    answers("nps-relatie", [10] * 45 + [8] * 35 + [3] * 20)
    answers("nps-contact", [9, 9, 2])
    answers("nps-contact", [0], status=ResponseStatus.PROVISIONAL)  # a click: not counted

    lines = run().splitlines()

    # nps-contact: n' = 6, p' = 2.75/6, d' = 1.75/6, p' - d' = 0.1667,
    # var = 0.75 - 0.1667^2 = 0.7222, se = sqrt(0.7222/6) = 0.3469, 1.96 se = 0.6800
    assert lines == [
        "NPS over de relatie (relational): NPS +25 (95%: +9,5 tot +39,1), n = 100",
        "Duim omhoog of omlaag (transactional): -, n = 0. "
        "Nog niet genoeg antwoorden: 0 van de minimaal 30.",
        "NPS na een contactmoment (transactional): NPS +33 (95%: -51,3 tot +84,7), n = 3. "
        "Nog niet genoeg antwoorden: 3 van de minimaal 30.",
    ]


def test_a_breakdown_by_channel_as_json() -> None:
    answers("nps-relatie", [10, 10, 6], channel="email")
    answers("nps-relatie", [7], channel="letter")

    data = json.loads(run("--instrument", "nps-relatie", "--by", "channel", "--json"))

    assert [item["instrument"] for item in data] == ["nps-relatie"]
    by = data[0]["by"]
    assert sorted(by) == ["email", "letter"]
    assert (by["email"]["n"], by["email"]["promoters"], by["email"]["detractors"]) == (3, 2, 1)
    assert by["letter"]["score"] == 0.0


def test_a_trend_per_month_as_json_counts_on_the_amsterdam_clock() -> None:
    answers("nps-relatie", [10, 9, 3], at=local(2026, 9, 30, 12))
    # 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam
    answers("nps-relatie", [8], at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    answers("nps-relatie", [10], status=ResponseStatus.PROVISIONAL)  # a click: not counted
    answers("nps-contact", [0, 0])  # another instrument

    data = json.loads(run("--instrument", "nps-relatie", "--trend", "month", "--json"))

    nothing = {
        "n": 0, "promoters": 0, "passives": 0, "detractors": 0, "score": None,
        "low": None, "high": None, "enough": False, "minimum": 30,
    }  # fmt: skip
    september, october, november, december = data[0]["trend"]
    assert [october, november] == [["2026-10", nothing], ["2026-11", nothing]]
    # 2 promoters, 1 detractor: NPS +33, adjusted Wald -51.3 to +84.7 (see above)
    assert september[0] == "2026-09"
    assert september[1] == {
        "n": 3, "promoters": 2, "passives": 0, "detractors": 1,
        "score": pytest.approx(33.333333), "low": pytest.approx(-51.334423),
        "high": pytest.approx(84.667756), "enough": False, "minimum": 30,
    }  # fmt: skip
    # one passive: n' = 4, p' = d' = 0.1875, se = sqrt(0.375 / 4) = 0.306186: ±60.0125
    assert december[0] == "2026-12"
    assert december[1] == {
        "n": 1, "promoters": 0, "passives": 1, "detractors": 0, "score": 0.0,
        "low": pytest.approx(-60.012499), "high": pytest.approx(60.012499),
        "enough": False, "minimum": 30,
    }  # fmt: skip


def test_a_trend_per_quarter_as_text() -> None:
    answers("nps-relatie", [10] * 45 + [8] * 35 + [3] * 20, at=local(2026, 9, 30, 12))
    # 22:30 UTC on 30 September is 00:30 on 1 October in Amsterdam (summer time): K4
    answers("nps-relatie", [9], at=datetime(2026, 9, 30, 22, 30, tzinfo=UTC))

    lines = run("--instrument", "nps-relatie", "--trend", "quarter").splitlines()

    # overall 46 promoters, 35 passives, 20 detractors: NPS 100 · 26/101 = +25.7;
    # n' = 104, p' = 46.75/104 = 0.449519, d' = 20.75/104 = 0.199519, p' - d' = 0.25,
    # var = 0.649038 - 0.0625 = 0.586538, se = 0.075098, 1.96 se = 0.147193: +10.3 to +39.7
    assert lines == [
        "NPS over de relatie (relational): NPS +26 (95%: +10,3 tot +39,7), n = 101",
        "  2026-K3: NPS +25 (95%: +9,5 tot +39,1), n = 100",
        "  2026-K4: NPS +100 (95%: -48,5 tot +98,5), n = 1. "
        "Nog niet genoeg antwoorden: 1 van de minimaal 30.",
    ]
