"""Rules in words: a parsed rule as a sentence in the interface's language.

`support.annual >= 300 and not mandate.active` reads "jaarsteun ≥ € 300 en heeft geen
actieve machtiging". Pages show these words, with the rule as written on hover for the
people who write rules. Pure: the parsed tree in, text out; it imports no models.

The words keep the rule's meaning exactly, unknown values included: `not relation.age >= 65`
also holds for a relation whose age is unknown, so it reads "niet (leeftijd ≥ 65)" rather
than "leeftijd < 65".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from koers import formatting
from koers.feedback.choices import InstrumentKind, NpsBand
from koers.giving.choices import Frequency, GiftKind
from koers.groups.rules import (
    BoolOp,
    Compare,
    Field,
    Flag,
    InList,
    Node,
    Not,
    RelativeDate,
    RuleError,
    Value,
    parse,
)
from koers.relations.choices import ContactChannel, Language, RelationKind, RelationStatus
from koers.touchpoints.choices import CallOutcome, Channel

# What a field is called in a sentence. Every field of the rule language has one (a test
# holds the two lists together); a new field gets its label here.
LABELS: dict[str, Any] = {
    "gifts.first": gettext_lazy("eerste gift"),
    "gifts.last": gettext_lazy("laatste gift"),
    "gifts.count": gettext_lazy("aantal giften"),
    "gifts.total": gettext_lazy("totaal gegeven"),
    "gifts.count_12m": gettext_lazy("aantal giften in 12 maanden"),
    "gifts.total_12m": gettext_lazy("gegeven in 12 maanden"),
    "gifts.largest": gettext_lazy("grootste gift"),
    "mandate.active": gettext_lazy("actieve machtiging"),
    "donor.lybunt": gettext_lazy("LYBUNT"),
    "donor.sybunt": gettext_lazy("SYBUNT"),
    "mandate.annual": gettext_lazy("machtiging per jaar"),
    "mandate.amount": gettext_lazy("machtiging per incasso"),
    "mandate.frequency": gettext_lazy("frequentie machtiging"),
    "tenure.years": gettext_lazy("jaren sinds de eerste gift"),
    "rfm.recency": gettext_lazy("RFM-recentheid"),
    "rfm.frequency": gettext_lazy("RFM-frequentie"),
    "rfm.monetary": gettext_lazy("RFM-bedrag"),
    "support.annual": gettext_lazy("jaarsteun"),
    "level": gettext_lazy("niveau"),
    "consent.email": gettext_lazy("toestemming e-mail"),
    "consent.post": gettext_lazy("toestemming post"),
    "consent.phone": gettext_lazy("toestemming telefoon"),
    "consent.sms": gettext_lazy("toestemming sms"),
    "relation.kind": gettext_lazy("soort relatie"),
    "relation.language": gettext_lazy("taal"),
    "relation.status": gettext_lazy("status"),
    "relation.city": gettext_lazy("plaats"),
    "relation.preferred_channel": gettext_lazy("voorkeurskanaal"),
    "relation.age": gettext_lazy("leeftijd"),
    # The event that started the journey (or that a step waits for).
    "trigger.amount": gettext_lazy("trigger: bedrag"),
    "trigger.annual": gettext_lazy("trigger: machtiging per jaar"),
    "trigger.frequency": gettext_lazy("trigger: frequentie"),
    "trigger.campaign": gettext_lazy("trigger: campagne"),
    "trigger.kind": gettext_lazy("trigger: soort"),
    "trigger.instrument": gettext_lazy("trigger: meetinstrument"),
    "trigger.band": gettext_lazy("trigger: NPS-groep"),
    "trigger.channel": gettext_lazy("trigger: kanaal"),
    "trigger.outcome": gettext_lazy("trigger: uitkomst"),
    "trigger.source": gettext_lazy("trigger: herkomst"),
    "trigger.score": gettext_lazy("trigger: score"),
}

# A yes/no field as a whole phrase: when it holds, and when it does not.
FLAGS: dict[str, tuple[Any, Any]] = {
    "mandate.active": (
        gettext_lazy("heeft een actieve machtiging"),
        gettext_lazy("heeft geen actieve machtiging"),
    ),
    "donor.lybunt": (
        gettext_lazy("gaf vorig jaar, dit jaar nog niet (LYBUNT)"),
        gettext_lazy("niet LYBUNT"),
    ),
    "donor.sybunt": (
        gettext_lazy("gaf in een eerder jaar, niet vorig en niet dit jaar (SYBUNT)"),
        gettext_lazy("niet SYBUNT"),
    ),
    "consent.email": (gettext_lazy("mag gemaild worden"), gettext_lazy("mag niet gemaild worden")),
    "consent.post": (gettext_lazy("mag post ontvangen"), gettext_lazy("mag geen post ontvangen")),
    "consent.phone": (gettext_lazy("mag gebeld worden"), gettext_lazy("mag niet gebeld worden")),
    "consent.sms": (
        gettext_lazy("mag een sms ontvangen"),
        gettext_lazy("mag geen sms ontvangen"),
    ),
}

_CHANNELS = {**dict(ContactChannel.choices), **dict(Channel.choices)}
_BANDS = dict(NpsBand.choices)
# Quoted values as the interface names them, per field.
VALUES: dict[str, dict[str, Any]] = {
    "mandate.frequency": dict(Frequency.choices),
    "relation.kind": dict(RelationKind.choices),
    "relation.language": dict(Language.choices),
    "relation.status": dict(RelationStatus.choices),
    "relation.preferred_channel": {
        **dict(ContactChannel.choices),
        "": gettext_lazy("geen voorkeur"),
    },
    "trigger.frequency": dict(Frequency.choices),
    "trigger.kind": {**dict(GiftKind.choices), **dict(InstrumentKind.choices)},
    "trigger.band": _BANDS,
    "trigger.channel": _CHANNELS,
    "trigger.outcome": {
        **dict(CallOutcome.choices),
        "done": gettext_lazy("gedaan"),
        "not_done": gettext_lazy("niet gedaan"),
    },
}

Names = Mapping[str, Mapping[str, str]]

_SYMBOLS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def rule_in_words(text: str, *, trigger: bool = False, names: Names | None = None) -> str | None:
    """The rule in words, or None when it is not a valid rule (it is then shown as written)."""
    try:
        return in_words(parse(text, trigger=trigger), names)
    except RuleError:
        return None


def in_words(node: Node, names: Names | None = None) -> str:
    """A parsed rule as a sentence. `names` names quoted values the caller knows better,
    per field (a call's source as its journey and step)."""
    names = names or {}
    if isinstance(node, BoolOp):
        joiner = _("en") if node.op == "and" else _("of")
        parts = [_nested(item, names) for item in node.items]
        return f" {joiner} ".join(parts)
    if isinstance(node, Not):
        return _negated(node.item, names)
    if isinstance(node, Flag):
        return _flag(node.field, True)
    if isinstance(node, InList):
        shown = [_value(node.field, value, names) for value in node.values]
        either = _("of")
        return _("%(field)s is %(values)s") % {
            "field": _label(node.field),
            "values": f" {either} ".join(shown),
        }
    return _compare(node, names)


def _nested(node: Node, names: Names) -> str:
    text = in_words(node, names)
    return f"({text})" if isinstance(node, BoolOp) else text


def _negated(node: Node, names: Names) -> str:
    if isinstance(node, Flag):
        return _flag(node.field, False)
    if isinstance(node, Compare) and node.field.type == "bool":
        return _flag(node.field, not _holds(node))
    if isinstance(node, InList) and len(node.values) == 1:
        return _("%(field)s is niet %(value)s") % {
            "field": _label(node.field),
            "value": _value(node.field, node.values[0], names),
        }
    if isinstance(node, InList):
        # "not in" also holds for an unknown value: "is niet X en niet Y" says just that.
        shown = [_value(node.field, value, names) for value in node.values]
        nor = _("en niet")
        return _("%(field)s is niet %(values)s") % {
            "field": _label(node.field),
            "values": f" {nor} ".join(shown),
        }
    return _("niet (%(rule)s)") % {"rule": in_words(node, names)}


def _holds(node: Compare) -> bool:
    """What a yes/no comparison asks for: `consent.email = false` asks for no."""
    return bool(node.value) if node.op == "=" else not node.value


def _flag(field: Field, holds: bool) -> str:
    yes, no = FLAGS[field.name]
    return str(yes if holds else no)


def _label(field: Field) -> str:
    return str(LABELS.get(field.name, field.name))


def _compare(node: Compare, names: Names) -> str:
    field = node.field
    if field.type == "bool":
        return _flag(field, _holds(node))
    if field.type == "date":
        return _date(node)
    if field.type == "text":
        words = _("%(field)s is %(value)s") if node.op == "=" else _("%(field)s is niet %(value)s")
        return words % {"field": _label(field), "value": _value(field, node.value, names)}
    return f"{_label(field)} {_SYMBOLS[node.op]} {_value(field, node.value, names)}"


def _value(field: Field, value: Value, names: Names) -> str:
    if field.type == "money" and isinstance(value, int):
        return formatting.euro_short(value, get_language())
    if field.type == "int" and isinstance(value, int):
        return formatting.whole_number(value, get_language())
    text = str(value)
    known = names.get(field.name, {}).get(text)
    if known is not None:
        return known
    return str(VALUES.get(field.name, {}).get(text, text))


# Comparing with a moment in the past reads as how long ago: "laatste gift meer dan 18
# maanden geleden" for `gifts.last < today - 18 months`.
_AGO = {
    ">": gettext_lazy("%(field)s minder dan %(span)s geleden"),
    ">=": gettext_lazy("%(field)s hoogstens %(span)s geleden"),
    "<": gettext_lazy("%(field)s meer dan %(span)s geleden"),
    "<=": gettext_lazy("%(field)s minstens %(span)s geleden"),
    "=": gettext_lazy("%(field)s precies %(span)s geleden"),
    "!=": gettext_lazy("%(field)s niet precies %(span)s geleden"),
}
_ON = {
    ">": gettext_lazy("%(field)s na %(day)s"),
    ">=": gettext_lazy("%(field)s op of na %(day)s"),
    "<": gettext_lazy("%(field)s vóór %(day)s"),
    "<=": gettext_lazy("%(field)s op of vóór %(day)s"),
    "=": gettext_lazy("%(field)s op %(day)s"),
    "!=": gettext_lazy("%(field)s niet op %(day)s"),
}


def _date(node: Compare) -> str:
    value, field = node.value, _label(node.field)
    if isinstance(value, RelativeDate) and value.sign < 0 and value.amount:
        return str(_AGO[node.op]) % {"field": field, "span": _span(value)}
    if isinstance(value, RelativeDate):
        day = (
            _("vandaag") if not value.amount else _("%(span)s na vandaag") % {"span": _span(value)}
        )
    else:
        assert isinstance(value, date)
        day = formatting.day(value, get_language())
    if node.op == "=" and day == _("vandaag"):
        return _("%(field)s vandaag") % {"field": field}
    return str(_ON[node.op]) % {"field": field, "day": day}


def _span(value: RelativeDate) -> str:
    n = value.amount
    if value.unit == "days":
        return ngettext("%(n)d dag", "%(n)d dagen", n) % {"n": n}
    if value.unit == "weeks":
        return ngettext("%(n)d week", "%(n)d weken", n) % {"n": n}
    if value.unit == "months":
        return ngettext("%(n)d maand", "%(n)d maanden", n) % {"n": n}
    return ngettext("%(n)d jaar", "%(n)d jaar", n) % {"n": n}
