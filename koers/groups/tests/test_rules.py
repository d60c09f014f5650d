from __future__ import annotations

from datetime import date

import pytest

from koers.groups.rules import RuleError, evaluate, parse, shift

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("rule", "message", "position"),
    [
        ("", "de regel is leeg", 0),
        ("suport.annual >= 3", "onbekend veld 'suport.annual' (bedoelde u 'support.annual'?)", 0),
        (
            "mandate.active > 5",
            "'mandate.active' is ja/nee en kan niet vergeleken worden met het getal 5",
            17,
        ),
        ("gifts.count >= 2.5", "'gifts.count' is een geheel getal, geen 2.5", 15),
        (
            "gifts.last >= 'gisteren'",
            "'gifts.last' is een datum en kan niet vergeleken worden met de tekst 'gisteren'",
            14,
        ),
        (
            "relation.status = 'dead'",
            "'dead' is geen geldige waarde voor 'relation.status'; "
            "kies uit 'active', 'deceased', 'ended'",
            18,
        ),
        (
            "relation.city > 'A'",
            "'relation.city' is een tekst: gebruik = of != of 'in', niet >",
            14,
        ),
        ("(gifts.count > 1", "')' verwacht, maar vond het einde van de regel", 16),
        ("gifts.count > 1 gifts.count", "'and' of 'or' verwacht, maar vond 'gifts.count'", 16),
        (
            "gifts.count",
            "'gifts.count' is een geheel getal: vergelijk het, bijvoorbeeld 'gifts.count >= ...'",
            0,
        ),
        ("gifts.first > 2026-02-30", "ongeldige datum '2026-02-30'", 14),
        (
            "gifts.first > today - 3 eeuwen",
            "een eenheid verwacht: days, weeks, months of years (dagen, weken, maanden, jaren)",
            24,
        ),
        ("gifts.count > 1 & 2", "onverwacht teken '&'", 16),
    ],
)
def test_a_rule_that_cannot_be_used_gets_a_dutch_message_and_its_position(
    rule: str, message: str, position: int
) -> None:
    with pytest.raises(RuleError) as caught:
        parse(rule)

    assert (caught.value.message, caught.value.position) == (message, position)


def test_the_caret_points_at_the_mistake() -> None:
    with pytest.raises(RuleError) as caught:
        parse("gifts.count >= 2.5")

    assert caught.value.caret("gifts.count >= 2.5") == (
        "gifts.count >= 2.5\n               ^ 'gifts.count' is een geheel getal, geen 2.5"
    )


def test_money_is_written_in_euros_and_compared_in_cents() -> None:
    rule = parse("support.annual >= 1000 and gifts.largest < 12,50")

    assert evaluate(rule, {"support.annual": 100000, "gifts.largest": 1249}, TODAY) is True
    assert evaluate(rule, {"support.annual": 99999, "gifts.largest": 1249}, TODAY) is False
    assert evaluate(rule, {"support.annual": 100000, "gifts.largest": 1250}, TODAY) is False


def test_dutch_keywords_mean_the_same_as_english_ones() -> None:
    dutch = parse("niet mandate.active en (gifts.count = 1 of consent.email = ja)")
    english = parse("not mandate.active and (gifts.count = 1 or consent.email = true)")

    assert dutch == english


def test_relative_dates_count_back_from_today() -> None:
    rule = parse("gifts.first > today - 12 months")

    assert evaluate(rule, {"gifts.first": date(2025, 11, 24)}, TODAY) is True
    assert evaluate(rule, {"gifts.first": date(2025, 11, 23)}, TODAY) is False


def test_unknown_values_match_no_comparison_but_not_negates_that() -> None:
    assert evaluate(parse("relation.age >= 18"), {"relation.birth_date": None}, TODAY) is False
    assert evaluate(parse("relation.age != 18"), {"relation.birth_date": None}, TODAY) is False
    assert evaluate(parse("not relation.age >= 18"), {"relation.birth_date": None}, TODAY) is True


def test_age_counts_completed_years() -> None:
    rule = parse("relation.age >= 40")

    assert evaluate(rule, {"relation.birth_date": date(1986, 11, 23)}, TODAY) is True
    assert evaluate(rule, {"relation.birth_date": date(1986, 11, 24)}, TODAY) is False


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        (date(2026, 3, 31), -1, "months", date(2026, 2, 28)),
        (date(2024, 2, 29), -1, "years", date(2023, 2, 28)),
        (date(2026, 1, 15), -2, "weeks", date(2026, 1, 1)),
        (date(2026, 1, 1), -1, "days", date(2025, 12, 31)),
    ],
)
def test_shifting_dates_clamps_to_the_end_of_the_month(
    start: date, amount: int, unit: str, expected: date
) -> None:
    assert shift(start, amount, unit) == expected


def test_parentheses_nested_past_the_limit_are_refused_where_the_limit_is_crossed() -> None:
    rule = "(" * 500 + "mandate.active" + ")" * 500

    with pytest.raises(RuleError) as caught:
        parse(rule)

    assert (caught.value.message, caught.value.position) == (
        "de regel is te diep genest: hoogstens 20 haakjes of 'not' binnen elkaar; "
        "schrijf hem eenvoudiger",
        20,
    )


def test_not_counts_as_nesting_too() -> None:
    with pytest.raises(RuleError) as caught:
        parse("not " * 21 + "mandate.active")

    assert caught.value.position == 80
    assert parse("not " * 20 + "mandate.active") is not None


def test_twenty_levels_of_parentheses_are_still_a_rule() -> None:
    assert parse("(" * 20 + "mandate.active" + ")" * 20) == parse("mandate.active")


@pytest.mark.parametrize(
    ("rule", "position"),
    [
        (" or ".join(["mandate.active"] * 2000), 200 * len("mandate.active or ")),
        # A list of n values counts as n terms: the 201st value is where it stops.
        ("relation.city in [" + ", ".join(f"'p{n:04d}'" for n in range(2000)) + "]", 18 + 200 * 9),
    ],
    ids=["conditions", "list values"],
)
def test_a_rule_of_two_thousand_terms_is_refused_at_the_two_hundred_and_first(
    rule: str, position: int
) -> None:
    with pytest.raises(RuleError) as caught:
        parse(rule)

    assert (caught.value.message, caught.value.position) == (
        "de regel heeft te veel voorwaarden: hoogstens 200 (elke waarde in een lijst telt "
        "mee); verdeel hem over meer groepen",
        position,
    )


def test_a_rule_longer_than_fifty_thousand_characters_is_refused_before_it_is_read() -> None:
    with pytest.raises(RuleError) as caught:
        parse("mandate.active" + " " * 50_000)

    assert (caught.value.message, caught.value.position) == (
        "de regel is te lang: 50014 tekens, hoogstens 50000",
        50_000,
    )


@pytest.mark.parametrize(
    ("rule", "message", "position"),
    [
        (
            "support.annual >= " + "9" * 400,
            "getal te groot: 99999999999999999999 (hoogstens 999999999999)",
            18,
        ),
        (
            "gifts.first > today - 99999999 years",
            "te ver van vandaag: hoogstens 1000 jaar terug of vooruit",
            22,
        ),
    ],
)
def test_numbers_too_large_for_the_database_are_refused(
    rule: str, message: str, position: int
) -> None:
    with pytest.raises(RuleError) as caught:
        parse(rule)

    assert (caught.value.message, caught.value.position) == (message, position)
