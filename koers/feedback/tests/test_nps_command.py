"""`koers nps`: each instrument apart, with n and the interval, broken down on request."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from koers.feedback.choices import ResponseSource, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.journeys.tests.conftest import donor, local

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("nps", *args, stdout=out)
    return out.getvalue()


def answers(
    instrument: str,
    scores: list[int],
    channel: str = "email",
    status: str = ResponseStatus.CONFIRMED,
) -> None:
    relation = donor(f"R{Response.objects.count()}", "Anna")
    found = Instrument.objects.get(key=instrument)
    Response.objects.bulk_create(
        Response(
            instrument=found, relation=relation, score=score, channel=channel,
            status=status, source=ResponseSource.IMPORT,
            answered_at=local(2026, 11, 5),
        )
        for score in scores
    )  # fmt: skip


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
