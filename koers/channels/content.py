"""Fill a touchpoint's content (per language, Django template syntax) with the relation's data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template import Context, Engine

from koers.formatting import day, euro
from koers.relations.choices import RelationKind
from koers.relations.models import Relation
from koers.touchpoints.models import Touchpoint

# Texts are plain text: no HTML escaping, and no access to anything but the context.
_ENGINE = Engine(autoescape=False, libraries={"koers": "koers.web.templatetags.koers"})


FREQUENCY_NL = {"monthly": "per maand", "quarterly": "per kwartaal", "yearly": "per jaar"}
FREQUENCY_EN = {"monthly": "a month", "quarterly": "a quarter", "yearly": "a year"}


def pick(value: Any, language: str) -> str:
    """A text given per language ({"nl": ..., "en": ...}) or as one string for all."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("nl") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def salutation(relation: Relation) -> str:
    """ "Beste Jan," / "Dear Jan," or, without a first name, the formal form."""
    english = relation.language == "en"
    if relation.kind == RelationKind.PERSON and relation.first_name:
        return f"{'Dear' if english else 'Beste'} {relation.first_name},"
    if relation.salutation:
        return f"{relation.salutation},"
    return "Dear friend," if english else "Beste donateur,"


def context(touchpoint: Touchpoint, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    relation = touchpoint.relation
    trigger = dict(touchpoint.fields.get("trigger") or {})
    if not trigger and touchpoint.enrollment_id is not None and touchpoint.enrollment:
        trigger = dict(touchpoint.enrollment.trigger or {})
    values: dict[str, Any] = {
        "relatie": relation,
        "relation": relation,
        "naam": relation.display_name,
        "voornaam": relation.first_name,
        "aanhef": salutation(relation),
        "organisatie": settings.KOERS_ORGANISATION,
        "organisation": settings.KOERS_ORGANISATION,
        "trigger": trigger,
    }
    if "amount_cents" in trigger:
        values["bedrag"] = euro(int(trigger["amount_cents"]))
    if "annual_cents" in trigger:
        values["bedrag_per_jaar"] = euro(int(trigger["annual_cents"]))
    if "frequency" in trigger:
        words = FREQUENCY_EN if relation.language == "en" else FREQUENCY_NL
        values["frequentie"] = words.get(str(trigger["frequency"]), "")
    values["datum"] = day(touchpoint.planned_at)
    values.update(extra or {})
    return values


def render(touchpoint: Touchpoint, field: str, extra: dict[str, Any] | None = None) -> str:
    """One content field (subject, body, script, ...) in the relation's language, filled in."""
    source = pick(touchpoint.fields.get(field), touchpoint.relation.language)
    return _ENGINE.from_string(source).render(Context(context(touchpoint, extra))).strip()
