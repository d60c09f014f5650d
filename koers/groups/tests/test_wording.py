"""Rules in words: what a fundraiser reads where a rule writer wrote code."""

from __future__ import annotations

import pytest
from django.utils import translation

from koers.groups.rules import FIELDS, TRIGGER_FIELDS, parse
from koers.groups.wording import FLAGS, LABELS, VALUES, in_words, rule_in_words


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("support.annual >= 300", "jaarsteun ≥ € 300"),
        ("gifts.total_12m > 1234,56", "gegeven in 12 maanden > € 1.234,56"),
        ("mandate.amount = 12.5", "machtiging per incasso = € 12,50"),
        ("gifts.count_12m <= 4", "aantal giften in 12 maanden ≤ 4"),
        ("rfm.recency != 1", "RFM-recentheid ≠ 1"),
        ("trigger.annual >= 300", "trigger: machtiging per jaar ≥ € 300"),
        ("trigger.band = 'detractor'", "trigger: NPS-groep is criticaster"),
        ("trigger.outcome = 'reached'", "trigger: uitkomst is bereikt"),
        ("trigger.channel = 'email'", "trigger: kanaal is e-mail"),
        (
            "trigger.kind in ['nps', 'thumbs']",
            "trigger: soort is NPS (0-10) of duim omhoog of omlaag",
        ),
        ("relation.language = 'en'", "taal is Engels"),
        ("relation.preferred_channel = ''", "voorkeurskanaal is geen voorkeur"),
        ("relation.city in ['Utrecht', 'Amersfoort']", "plaats is Utrecht of Amersfoort"),
        ("mandate.frequency not in ['yearly']", "frequentie machtiging is niet jaarlijks"),
        (
            "mandate.frequency not in ['monthly', 'quarterly']",
            "frequentie machtiging is niet maandelijks en niet per kwartaal",
        ),
        ("level != 'goud'", "niveau is niet goud"),
        ("gifts.last < 2025-01-01", "laatste gift vóór 01-01-2025"),
        ("gifts.first >= 2025-01-01", "eerste gift op of na 01-01-2025"),
        ("gifts.first > today - 12 months", "eerste gift minder dan 12 maanden geleden"),
        ("gifts.last < today - 18 months", "laatste gift meer dan 18 maanden geleden"),
        ("gifts.last >= today - 1 year", "laatste gift hoogstens 1 jaar geleden"),
        ("gifts.first <= today - 2 weeks", "eerste gift minstens 2 weken geleden"),
        ("gifts.first = today - 1 day", "eerste gift precies 1 dag geleden"),
        ("gifts.last > today", "laatste gift na vandaag"),
        ("gifts.last < today + 3 days", "laatste gift vóór 3 dagen na vandaag"),
        ("mandate.active", "heeft een actieve machtiging"),
        ("not mandate.active", "heeft geen actieve machtiging"),
        ("consent.email = false", "mag niet gemaild worden"),
        ("consent.phone != false", "mag gebeld worden"),
        ("not relation.age >= 65", "niet (leeftijd ≥ 65)"),
        (
            "gifts.count_12m >= 4 and not mandate.active",
            "aantal giften in 12 maanden ≥ 4 en heeft geen actieve machtiging",
        ),
        (
            "(tenure.years >= 3 or level = 'goud') and consent.post",
            "(jaren sinds de eerste gift ≥ 3 of niveau is goud) en mag post ontvangen",
        ),
        (
            "not (consent.email and consent.sms)",
            "niet (mag gemaild worden en mag een sms ontvangen)",
        ),
    ],
)
def test_a_rule_reads_as_words(rule: str, words: str) -> None:
    with translation.override("nl"):
        assert in_words(parse(rule, trigger=True)) == words


def test_a_rule_reads_in_english_when_the_interface_is_english() -> None:
    rule = parse("support.annual >= 300 and gifts.last < today - 18 months", trigger=True)

    with translation.override("en"):
        assert in_words(rule) == "annual support ≥ €300 and last gift more than 18 months ago"


def test_a_value_can_be_named_by_the_caller() -> None:
    rule = parse("trigger.source = 'journey:bedanken:bel'", trigger=True)
    names = {"trigger.source": {"journey:bedanken:bel": "Bedanken: Bedankbelletje"}}

    with translation.override("nl"):
        assert in_words(rule, names) == "trigger: herkomst is Bedanken: Bedankbelletje"


def test_a_rule_that_cannot_be_read_is_left_as_written() -> None:
    assert rule_in_words("suport.annual >= 3") is None
    assert rule_in_words("trigger.band = 'detractor'") is None  # trigger fields: journeys only
    with translation.override("nl"):
        assert rule_in_words("trigger.band = 'detractor'", trigger=True) == (
            "trigger: NPS-groep is criticaster"
        )


@pytest.mark.parametrize("name", [*FIELDS, *TRIGGER_FIELDS])
def test_every_field_of_the_rule_language_has_a_label(name: str) -> None:
    assert str(LABELS.get(name, "")).strip(), f"'{name}' has no label in koers.groups.wording"


@pytest.mark.parametrize("name", [*FIELDS, *TRIGGER_FIELDS])
def test_every_choice_of_a_field_has_a_label(name: str) -> None:
    field = {**FIELDS, **TRIGGER_FIELDS}[name]
    missing = [choice for choice in field.choices if choice not in VALUES.get(name, {})]
    assert missing == []


@pytest.mark.parametrize(
    "name", [n for n, f in {**FIELDS, **TRIGGER_FIELDS}.items() if f.type == "bool"]
)
def test_every_yes_no_field_says_both_ways(name: str) -> None:
    assert name in FLAGS


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("mandate.frequency not in ['yearly']", "mandate frequency is not yearly"),
        (
            "mandate.frequency not in ['monthly', 'quarterly']",
            "mandate frequency is neither monthly nor quarterly",
        ),
        ("gifts.first <= today - 2 weeks", "first gift at least 2 weeks ago"),
        ("gifts.last < today + 3 days", "last gift before 3 days from today"),
        ("trigger.band = 'detractor'", "trigger: NPS group is detractor"),
        ("not consent.phone", "may not be called"),
    ],
)
def test_more_rules_read_in_english(rule: str, words: str) -> None:
    with translation.override("en"):
        assert in_words(parse(rule, trigger=True)) == words
