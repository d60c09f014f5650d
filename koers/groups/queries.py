"""Compile group rules to database queries, and the reads built on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from koers.groups.facts import local_today
from koers.groups.models import Group
from koers.groups.rules import (
    TRIGGER_KEYS,
    BoolOp,
    Compare,
    Field,
    Flag,
    InList,
    Node,
    Not,
    RelativeDate,
    Value,
    parse,
    shift,
)
from koers.relations.choices import LegalBasis
from koers.relations.models import Consent, Relation

PATHS = {
    "gifts.first": "facts__first_gift_on",
    "gifts.last": "facts__last_gift_on",
    "gifts.count": "facts__gifts_count",
    "gifts.total": "facts__gifts_cents",
    "gifts.count_12m": "facts__gifts_12m_count",
    "gifts.total_12m": "facts__gifts_12m_cents",
    "gifts.largest": "facts__largest_gift_cents",
    "mandate.annual": "facts__mandate_annual_cents",
    "mandate.amount": "facts__mandate__amount_cents",
    "mandate.frequency": "facts__mandate__frequency",
    "tenure.years": "facts__tenure_years",
    "rfm.recency": "facts__recency_score",
    "rfm.frequency": "facts__frequency_score",
    "rfm.monetary": "facts__monetary_score",
    "support.annual": "facts__annual_support_cents",
    "level": "facts__level__key",
    "relation.kind": "kind",
    "relation.language": "language",
    "relation.status": "status",
    "relation.city": "city",
    "relation.preferred_channel": "preferred_channel",
}
LOOKUPS = {"=": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}


@dataclass(frozen=True)
class Target:
    """What a compiled rule filters: relations, or rows that point at a relation.

    `prefix` leads from the target to the relation ("" or "relation__"), `relation_id`
    names the relation's id on the target, and `trigger` the JSON field holding the
    data of the event that started a journey, if the target has one.
    """

    prefix: str = ""
    relation_id: str = "pk"
    trigger: str = ""


RELATIONS = Target()


def _lapsing(name: str, today: date, prefix: str) -> Q:
    """LYBUNT: the last gift fell in the previous calendar year; SYBUNT: before it."""
    last_year = date(today.year - 1, 1, 1)
    path = f"{prefix}facts__last_gift_on"
    if name == "donor.lybunt":
        return Q(**{f"{path}__gte": last_year, f"{path}__lt": date(today.year, 1, 1)})
    return Q(**{f"{path}__lt": last_year})


def _flag(field: Field, target: Target, today: date) -> Q:
    if field.name in ("donor.lybunt", "donor.sybunt"):
        return _lapsing(field.name, today, target.prefix)
    if field.name == "mandate.active":
        return Q(**{f"{target.prefix}facts__mandate__isnull": False})
    channel = field.name.split(".", 1)[1]
    valid = Consent.objects.filter(
        relation=OuterRef(target.relation_id), channel=channel, withdrawn_at__isnull=True
    ).exclude(basis=LegalBasis.NONE)
    return Q(Exists(valid))


def _age(op: str, years: int, today: date, p: str = "") -> Q:
    """Age comparisons as birth-date ranges: age >= N means born on or before today - N years."""
    if op == ">=":
        return Q(**{f"{p}birth_date__lte": shift(today, -years, "years")})
    if op == ">":
        return _age(">=", years + 1, today, p)
    if op == "<=":
        return Q(**{f"{p}birth_date__gt": shift(today, -(years + 1), "years")})
    if op == "<":
        return _age("<=", years - 1, today, p)
    exact = _age(">=", years, today, p) & _age("<=", years, today, p)
    return exact if op == "=" else Q(**{f"{p}birth_date__isnull": False}) & ~exact


def _resolve(value: Value, today: date) -> Value:
    return value.resolve(today) if isinstance(value, RelativeDate) else value


def _path(field: Field, target: Target) -> str:
    if field.name in TRIGGER_KEYS:
        return f"{target.trigger}__{TRIGGER_KEYS[field.name]}"
    return target.prefix + PATHS[field.name]


def _compare(field: Field, op: str, value: Value, today: date, target: Target) -> Q:
    if field.type == "bool":
        wanted = value if op == "=" else not value
        return _flag(field, target, today) if wanted else ~_flag(field, target, today)
    if field.name == "relation.age":
        assert isinstance(value, int)
        return _age(op, value, today, target.prefix)
    path, value = _path(field, target), _resolve(value, today)
    lookup = "iexact" if field.name == "relation.city" else LOOKUPS.get(op, "exact")
    match = Q(**{f"{path}__{lookup}": value})
    if op == "!=":
        # An unknown value matches no comparison, "is not" included.
        return Q(**{f"{path}__isnull": False}) & ~match
    return match


def compile_node(node: Node, today: date, target: Target = RELATIONS) -> Q:
    if isinstance(node, BoolOp):
        compiled = [compile_node(item, today, target) for item in node.items]
        result = compiled[0]
        for item in compiled[1:]:
            result = result & item if node.op == "and" else result | item
        return result
    if isinstance(node, Not):
        return ~compile_node(node.item, today, target)
    if isinstance(node, Flag):
        return _flag(node.field, target, today)
    if isinstance(node, InList):
        result = Q(pk__in=[])
        for value in node.values:
            result |= _compare(node.field, "=", value, today, target)
        return result
    assert isinstance(node, Compare)
    return _compare(node.field, node.op, node.value, today, target)


def compile_rule(text: str, now: datetime | None = None) -> Q:
    """The rule as a filter over relations. Raises RuleError for a rule that cannot be used."""
    return compile_node(parse(text), local_today(now or timezone.now()))


def members(rule_or_group: str | Group, now: datetime | None = None) -> QuerySet[Relation]:
    rule = rule_or_group.rule if isinstance(rule_or_group, Group) else rule_or_group
    return Relation.objects.filter(compile_rule(rule, now))


def count_members(rule_or_group: str | Group, now: datetime | None = None) -> int:
    return members(rule_or_group, now).count()
