"""The template filters that write numbers, dates and codes the Dutch way."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from koers.web.templatetags.koers import datum, details, euro, getal, storno_reden


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (123456, "€ 1.234,56"),
        (0, "€ 0,00"),
        (-500, "€ -5,00"),
        (-123456, "€ -1.234,56"),
        (5, "€ 0,05"),
        (100000000, "€ 1.000.000,00"),
        (None, ""),
    ],
)
def test_money_is_written_the_dutch_way(cents: int | None, text: str) -> None:
    assert euro(cents) == text


def test_dates_and_numbers_are_written_the_dutch_way() -> None:
    assert datum(date(2026, 11, 23)) == "23-11-2026"
    assert datum(datetime(2026, 11, 23, 9, 5)) == "23-11-2026 09:05"
    assert datum(None) == ""
    assert getal(1234567) == "1.234.567"
    assert getal(0) == "0"


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("MD06", "MD06: teruggeboekt op verzoek van de rekeninghouder"),
        ("am04", "AM04: onvoldoende saldo"),
        ("XX99", "XX99"),
        ("", "reden onbekend"),
    ],
)
def test_a_storno_reason_is_named(code: str, text: str) -> None:
    assert storno_reden(code) == text


def test_event_details_read_as_words() -> None:
    data = {"reference": "KRS-1", "amount_cents": 1000, "frequency": "monthly"}

    assert details(data) == ["€ 10,00", "maandelijks", "KRS-1"]
    assert details({"channel": "post", "basis": "legitimate_interest"}) == [
        "post",
        "gerechtvaardigd belang",
    ]
    assert details({}) == []


def test_a_reason_in_words_stays_as_written_and_a_sepa_code_is_named() -> None:
    unsubscribed = {"channel": "email", "basis": "none", "reason": "afmeldlink in e-mail"}

    assert details(unsubscribed) == ["e-mail", "geen (afgemeld)", "afmeldlink in e-mail"]
    assert details({"reason": "MD06"}) == ["MD06: teruggeboekt op verzoek van de rekeninghouder"]


def test_in_english_money_numbers_and_dates_are_written_the_english_way() -> None:
    from django.utils import translation

    with translation.override("en"):
        assert euro(123456) == "€1,234.56"
        assert euro(-500) == "€-5.00"
        assert getal(1234567) == "1,234,567"
        assert datum(date(2026, 11, 23)) == "23 Nov 2026"
        assert datum(datetime(2026, 11, 23, 9, 5)) == "23 Nov 2026 09:05"
