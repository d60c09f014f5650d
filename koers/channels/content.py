"""Fill a touchpoint's content (per language, Django template syntax) with the relation's data.

The values are built here, explicitly, from the relation and the trigger: plain strings and
a plain copy of the trigger's data, never a model object (see koers.channels.texts for the
rules a text follows and why). The result is plain text: whoever puts it into HTML (an
e-mail's HTML part, a letter) escapes it once, there.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from koers.channels import texts
from koers.channels.texts import TextError
from koers.formatting import day, euro
from koers.relations.choices import RelationKind
from koers.relations.models import Relation
from koers.touchpoints.models import Touchpoint

__all__ = ["TextError", "pick", "render", "salutation", "values"]

log = logging.getLogger(__name__)

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


def plain(value: Any) -> Any:
    """JSON-like data as plain dicts, lists, strings and numbers; anything else as its text."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def relation_values(relation: Relation) -> dict[str, str]:
    """`relatie` in a text: the relation's own fields, as text, under their fixed names."""
    found = {}
    for name, field in texts.RELATION_PARTS.items():
        value = getattr(relation, field)
        found[name] = day(value) if isinstance(value, date) else str(value or "")
    return found


def _trigger(touchpoint: Touchpoint) -> dict[str, Any]:
    trigger = touchpoint.fields.get("trigger") or {}
    if not trigger and touchpoint.enrollment_id is not None and touchpoint.enrollment:
        trigger = touchpoint.enrollment.trigger or {}
    found = plain(trigger)
    return found if isinstance(found, dict) else {}


def _cents(trigger: dict[str, Any], key: str) -> str:
    try:
        return euro(int(trigger[key])) if key in trigger else ""
    except (TypeError, ValueError):
        return ""


def values(touchpoint: Touchpoint, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """Every variable a text may use (texts.VARIABLES), as plain values; "" where a value
    does not apply to this contact (no amount, no unsubscribe link on paper)."""
    relation = touchpoint.relation
    trigger = _trigger(touchpoint)
    words = FREQUENCY_EN if relation.language == "en" else FREQUENCY_NL
    person = relation_values(relation)
    found: dict[str, Any] = dict.fromkeys(texts.VARIABLES, "")
    found |= {
        "relatie": person,
        "relation": person,
        "naam": relation.display_name,
        "voornaam": relation.first_name,
        "aanhef": salutation(relation),
        "organisatie": settings.KOERS_ORGANISATION,
        "organisation": settings.KOERS_ORGANISATION,
        "trigger": trigger,
        "bedrag": _cents(trigger, "amount_cents"),
        "bedrag_per_jaar": _cents(trigger, "annual_cents"),
        "frequentie": words.get(str(trigger.get("frequency", "")), ""),
        "datum": day(timezone.localtime(touchpoint.planned_at).date()),
    }
    for name, value in (extra or {}).items():
        if name not in found:  # a programming error, never a user's: fail loudly
            raise KeyError(f"{name} is not one of the text variables")
        found[name] = str(value)
    return found


def render(touchpoint: Touchpoint, field: str, extra: dict[str, str] | None = None) -> str:
    """One content field (subject, body, script, ...) in the relation's language, filled in,
    as plain text. Raises TextError (and logs it) for a text that breaks the sandbox's rules:
    such a text is never sent with holes in it."""
    source = pick(touchpoint.fields.get(field), touchpoint.relation.language)
    try:
        return texts.fill(source, values(touchpoint, extra), field)
    except TextError as error:
        log.warning(
            "touchpoint %s, step %r: text refused: %s", touchpoint.pk, touchpoint.step, error
        )
        raise
