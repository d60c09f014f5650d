"""The trend's counts per month and quarter, counted by the database on the site's clock
(Europe/Amsterdam), checked against the same answers counted by hand."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from koers.feedback.choices import ResponseSource, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.feedback.queries import period_counts, results_trend
from koers.feedback.stats import NpsResult, Rate, band
from koers.journeys.tests.conftest import AMS, donor, local

pytestmark = pytest.mark.django_db


def answer(
    instrument: str, score: int, at: datetime, status: str = ResponseStatus.CONFIRMED
) -> None:
    Response.objects.create(
        instrument=Instrument.objects.get(key=instrument),
        relation=donor(f"R{Response.objects.count() + 1}", "Anna"),
        score=score,
        channel="email",
        status=status,
        source=ResponseSource.IMPORT,
        answered_at=at,
    )


@pytest.fixture
def year_end() -> None:
    """NPS answers around the ends of months and quarters, some of them in UTC."""
    for score in (10, 8, 3):
        answer("nps-relatie", score, local(2026, 9, 10))
    # 23:30 UTC on 30 September is 01:30 on 1 October in Amsterdam (summer time): October, K4
    answer("nps-relatie", 9, datetime(2026, 9, 30, 23, 30, tzinfo=UTC))
    # 22:59 UTC on 31 October is 23:59 the same day in Amsterdam (winter time): October
    answer("nps-relatie", 7, datetime(2026, 10, 31, 22, 59, tzinfo=UTC))
    # 23:30 UTC on 31 October is 00:30 on 1 November in Amsterdam: November
    answer("nps-relatie", 6, datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    answer("nps-relatie", 10, local(2026, 12, 31, 12))
    # 23:30 UTC on New Year's Eve is 00:30 on 1 January 2027 in Amsterdam
    answer("nps-relatie", 0, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    # neither a click that was not confirmed nor another instrument's answer counts
    answer("nps-relatie", 10, local(2026, 10, 5), status=ResponseStatus.PROVISIONAL)
    answer("nps-contact", 0, local(2026, 10, 5))


BANDS = ("promoter", "passive", "detractor")


def by_hand(instrument: str, period: str) -> list[tuple[date, tuple[int, ...]]]:
    """Each confirmed answer's band, counted per period of its day in Amsterdam."""
    counted: Counter[tuple[date, str]] = Counter()
    for response in Response.objects.filter(
        instrument__key=instrument, status=ResponseStatus.CONFIRMED
    ):
        day = response.answered_at.astimezone(AMS).date()
        month = day.month if period == "month" else (day.month - 1) // 3 * 3 + 1
        counted[(date(day.year, month, 1), band(response.score or 0))] += 1
    starts = sorted({start for start, _ in counted})
    return [(start, tuple(counted[(start, name)] for name in BANDS)) for start in starts]


@pytest.mark.usefixtures("year_end")
def test_nps_counts_per_month_follow_the_amsterdam_clock() -> None:
    counts = period_counts(Instrument.objects.get(key="nps-relatie"), "month")

    # (promoters, passives, detractors) per month, named by its first day
    assert counts == [
        (date(2026, 9, 1), (1, 1, 1)),
        (date(2026, 10, 1), (1, 1, 0)),
        (date(2026, 11, 1), (0, 0, 1)),
        (date(2026, 12, 1), (1, 0, 0)),
        (date(2027, 1, 1), (0, 0, 1)),
    ]
    assert counts == by_hand("nps-relatie", "month")


@pytest.mark.usefixtures("year_end")
def test_nps_counts_per_quarter_follow_the_amsterdam_clock() -> None:
    counts = period_counts(Instrument.objects.get(key="nps-relatie"), "quarter")

    # K4 2026: October (1, 1, 0) + November (0, 0, 1) + December (1, 0, 0)
    assert counts == [
        (date(2026, 7, 1), (1, 1, 1)),
        (date(2026, 10, 1), (2, 1, 1)),
        (date(2027, 1, 1), (0, 0, 1)),
    ]
    assert counts == by_hand("nps-relatie", "quarter")


def test_thumbs_are_counted_up_and_down_per_month() -> None:
    answer("duim", 1, local(2026, 10, 2))
    answer("duim", 0, local(2026, 10, 31, 12))
    answer("duim", 1, datetime(2026, 10, 31, 23, 30, tzinfo=UTC))  # 1 November in Amsterdam

    counts = period_counts(Instrument.objects.get(key="duim"), "month")

    # (up, down) per month
    assert counts == [(date(2026, 10, 1), (1, 1)), (date(2026, 11, 1), (1, 0))]


def test_no_answers_give_no_periods() -> None:
    answer("nps-relatie", 9, local(2026, 10, 5), status=ResponseStatus.PROVISIONAL)

    assert period_counts(Instrument.objects.get(key="nps-relatie"), "month") == []
    assert results_trend(Instrument.objects.get(key="nps-relatie"), "month") == []


@pytest.mark.usefixtures("year_end")
def test_the_nps_trend_fills_the_periods_and_keeps_the_minimum() -> None:
    instrument = Instrument.objects.get(key="nps-relatie")

    found = results_trend(instrument, "quarter")

    assert [(label, figure.n, figure.enough) for label, figure in found] == [
        ("2026-K3", 3, False),
        ("2026-K4", 4, False),
        ("2027-K1", 1, False),
    ]
    fourth = found[1][1]
    # 2 promoters and 1 detractor of 4: 50% - 25% = +25
    assert isinstance(fourth, NpsResult) and fourth.score == 25.0
    assert fourth.minimum == instrument.minimum_n == 30


def test_the_thumbs_trend_gives_the_share_up_with_a_wilson_interval() -> None:
    for score in [1] * 30 + [0] * 10:
        answer("duim", score, local(2026, 9, 20))
    answer("duim", 0, local(2026, 11, 3))

    found = results_trend(Instrument.objects.get(key="duim"), "month")

    assert [label for label, _ in found] == ["2026-09", "2026-10", "2026-11"]
    september, october, november = (figure for _, figure in found)
    assert isinstance(september, Rate) and isinstance(october, Rate) and isinstance(november, Rate)
    # 30 of 40 up: z² = 3.8416, denominator = 1.09604, centre = 0.79802 / 1.09604 = 0.728094,
    # half = 1.96/1.09604 · sqrt(0.0046875 + 0.00060025) = 0.130037: 0.598057 to 0.858130
    assert (september.n, september.up, september.rate, september.enough) == (40, 30, 0.75, True)
    assert september.low == pytest.approx(0.598057, abs=1e-6)
    assert september.high == pytest.approx(0.858130, abs=1e-6)
    assert (october.n, october.rate) == (0, None)
    assert (november.n, november.rate, november.enough) == (1, 0.0, False)
