"""The compiled query and the plain-Python evaluator agree on every rule and every base."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.giving.models import Mandate
from koers.groups.models import Facts, Level
from koers.groups.queries import members
from koers.groups.rules import FIELDS, evaluate, parse
from koers.relations.models import Consent, Relation

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
DATES = [date(2021, 11, 23), date(2025, 11, 23), date(2025, 11, 24), date(2026, 2, 28)]
CENTS = [0, 1000, 2500, 100000, 150050]
CHANNELS = ["email", "post", "phone", "sms"]

optional_date = st.none() | st.sampled_from(DATES)
relation_spec = st.fixed_dictionaries(
    {
        "gifts.first": optional_date,
        "gifts.last": optional_date,
        "gifts.count": st.integers(0, 5),
        "gifts.total": st.sampled_from(CENTS),
        "gifts.count_12m": st.integers(0, 3),
        "gifts.total_12m": st.sampled_from(CENTS),
        "gifts.largest": st.sampled_from(CENTS),
        "mandate": st.none()
        | st.tuples(st.sampled_from([500, 1000, 2500]), st.sampled_from(["monthly", "yearly"])),
        "mandate.annual": st.sampled_from(CENTS),
        "tenure.years": st.integers(0, 6),
        "rfm.recency": st.none() | st.integers(1, 5),
        "support.annual": st.sampled_from(CENTS),
        "level": st.none() | st.sampled_from(["brons", "goud"]),
        "consents": st.dictionaries(st.sampled_from(CHANNELS), st.booleans(), max_size=4),
        "relation.city": st.sampled_from(["Utrecht", "utrecht", "Breda", ""]),
        "relation.language": st.sampled_from(["nl", "en"]),
        "relation.birth_date": st.none()
        | st.sampled_from([date(1960, 11, 23), date(1986, 11, 24), date(2000, 1, 1)]),
    }
)

LITERALS: dict[str, list[str]] = {
    "money": ["0", "10", "25", "1000", "1500.5"],
    "int": ["0", "1", "2", "3", "5", "40"],
    "date": ["2025-11-23", "2026-02-28", "today - 12 months", "today - 5 years", "today"],
    "bool": ["true", "false"],
}
TEXT_LITERALS = {
    "relation.city": ["'Utrecht'", "'breda'", "''"],
    "relation.language": ["'nl'", "'en'"],
    "level": ["'brons'", "'goud'", "'platina'"],
    "mandate.frequency": ["'monthly'", "'yearly'"],
}
USED = [
    "gifts.first",
    "gifts.last",
    "gifts.count",
    "gifts.total",
    "gifts.count_12m",
    "gifts.total_12m",
    "gifts.largest",
    "mandate.active",
    "donor.lybunt",
    "donor.sybunt",
    "mandate.amount",
    "mandate.frequency",
    "mandate.annual",
    "tenure.years",
    "rfm.recency",
    "support.annual",
    "level",
    "consent.email",
    "consent.phone",
    "relation.city",
    "relation.language",
    "relation.age",
]


@st.composite
def conditions(draw: Any) -> str:
    name = draw(st.sampled_from(USED))
    field = FIELDS[name]
    if field.type == "bool":
        if draw(st.booleans()):
            return name
        return (
            f"{name} {draw(st.sampled_from(['=', '!=']))} {draw(st.sampled_from(LITERALS['bool']))}"
        )
    pool = TEXT_LITERALS[name] if field.type == "text" else LITERALS[field.type]
    if draw(st.integers(0, 4)) == 0:
        values = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
        negate = "not " if draw(st.booleans()) else ""
        return f"{name} {negate}in [{', '.join(values)}]"
    ops = ["=", "!="] if field.type == "text" else ["=", "!=", "<", "<=", ">", ">="]
    return f"{name} {draw(st.sampled_from(ops))} {draw(st.sampled_from(pool))}"


rules = st.recursive(
    conditions(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        inner.map(lambda r: f"not {r}"),
    ),
    max_leaves=4,
)


def _store(number: int, spec: dict[str, Any], levels: dict[str, Level]) -> Relation:
    relation = Relation.objects.create(
        external_id=f"P{number}",
        city=spec["relation.city"],
        language=spec["relation.language"],
        birth_date=spec["relation.birth_date"],
    )
    mandate = None
    if spec["mandate"] is not None:
        amount, frequency = spec["mandate"]
        mandate = Mandate.objects.create(
            reference=f"M{number}",
            relation=relation,
            amount_cents=amount,
            frequency=frequency,
            start_date=date(2024, 1, 1),
        )
    Facts.objects.create(
        relation=relation,
        first_gift_on=spec["gifts.first"],
        last_gift_on=spec["gifts.last"],
        gifts_count=spec["gifts.count"],
        gifts_cents=spec["gifts.total"],
        gifts_12m_count=spec["gifts.count_12m"],
        gifts_12m_cents=spec["gifts.total_12m"],
        largest_gift_cents=spec["gifts.largest"],
        mandate=mandate,
        mandate_annual_cents=spec["mandate.annual"],
        tenure_years=spec["tenure.years"],
        recency_score=spec["rfm.recency"],
        annual_support_cents=spec["support.annual"],
        level=levels.get(spec["level"] or ""),
        refreshed_at=NOW,
    )
    for channel, withdrawn in spec["consents"].items():
        Consent.objects.create(
            relation=relation,
            channel=channel,
            basis="consent",
            given_at=NOW,
            withdrawn_at=NOW if withdrawn else None,
        )
    return relation


def _values(spec: dict[str, Any]) -> dict[str, Any]:
    values = dict(spec)
    mandate = spec["mandate"]
    values["mandate.active"] = mandate is not None
    values["mandate.amount"] = mandate[0] if mandate else None
    values["mandate.frequency"] = mandate[1] if mandate else None
    for channel in CHANNELS:
        values[f"consent.{channel}"] = spec["consents"].get(channel) is False
    return values


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(relation_spec, min_size=1, max_size=6), rule=rules)
def test_compiled_rule_selects_exactly_what_python_evaluation_selects(
    specs: list[dict[str, Any]], rule: str
) -> None:
    Relation.objects.all().delete()
    levels = {level.key: level for level in Level.objects.all()}
    stored = {_store(i, spec, levels).pk: spec for i, spec in enumerate(specs)}
    tree = parse(rule)

    selected = set(members(rule, NOW).values_list("pk", flat=True))

    expected = {pk for pk, spec in stored.items() if evaluate(tree, _values(spec), TODAY)}
    assert selected == expected, rule
