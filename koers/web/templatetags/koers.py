"""Template filters for numbers and dates (euro, datum, dag, getal) in the page's language, the
Dutch way in Dutch, and for readable codes."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koers import formatting
from koers.giving.choices import Frequency
from koers.relations.choices import ContactChannel, LegalBasis
from koers.touchpoints.choices import CallOutcome

register = template.Library()
SEPA_CODE = re.compile(r"[A-Za-z]{2}[0-9]{2}")

# SEPA return reasons a Dutch bank reports with a storno; the codes mean nothing to a
# fundraiser, and the reason says whether the donor chose to stop (MD06, MS02) or not.
STORNO_REASONS = {
    "AC01": _("rekeningnummer onjuist"),
    "AC04": _("rekening opgeheven"),
    "AC06": _("rekening geblokkeerd"),
    "AG01": _("incasso niet toegestaan op deze rekening"),
    "AM04": _("onvoldoende saldo"),
    "MD01": _("geen geldige machtiging"),
    "MD06": _("teruggeboekt op verzoek van de rekeninghouder"),
    "MS02": _("geweigerd door de rekeninghouder"),
    "MS03": _("reden niet opgegeven"),
    "SL01": _("geweigerd door de bank van de rekeninghouder"),
}


@register.filter
def euro(cents: int | None) -> str:
    return formatting.euro(cents, get_language())


@register.filter
def datum(value: date | datetime | None) -> str:
    # A missing related object reaches a filter as "" (string_if_invalid): show nothing.
    return formatting.day(value, get_language()) if isinstance(value, date) else ""


@register.filter
def dag(value: date | datetime | None) -> str:
    """Only the day, also of a moment in time (in the local time zone)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formatting.day(value.date(), get_language())
    return formatting.day(value, get_language()) if isinstance(value, date) else ""


@register.filter
def getal(value: int | None) -> str:
    return formatting.whole_number(value, get_language())


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.filter
def kanaal(value: str) -> str:
    """A channel code from event data, as the interface names it."""
    return _label(ContactChannel, value)


@register.filter
def storno_reden(code: str) -> str:
    """ "MD06" becomes "MD06: teruggeboekt op verzoek van de rekeninghouder"."""
    code = (code or "").strip().upper()
    if not code:
        return str(_("reden onbekend"))
    reason = STORNO_REASONS.get(code)
    return f"{code}: {reason}" if reason else code


@register.filter
def details(data: dict[str, Any] | None) -> list[str]:
    """The parts of an event's data a person wants to read on the timeline, in order."""
    data = data or {}
    parts: list[str] = []
    if isinstance(data.get("amount_cents"), int):
        parts.append(formatting.euro(data["amount_cents"], get_language()))
    if data.get("frequency"):
        parts.append(_label(Frequency, str(data["frequency"])))
    for key in ("campaign", "reference"):
        if data.get(key):
            parts.append(str(data[key]))
    if data.get("channel"):
        parts.append(kanaal(str(data["channel"])))
    if data.get("basis"):
        parts.append(_label(LegalBasis, str(data["basis"])))
    if data.get("reason"):
        # A storno's reason is a SEPA code (MD06); a withdrawal's or a cancellation's is words.
        reason = str(data["reason"]).strip()
        parts.append(storno_reden(reason) if SEPA_CODE.fullmatch(reason) else reason)
    if data.get("outcome"):
        parts.append(_outcome(str(data["outcome"])))
    if isinstance(data.get("score"), int):
        parts.append(str(_("score %(score)s") % {"score": data["score"]}))
    return parts


def _outcome(code: str) -> str:
    """A call's outcome (bereikt, geen gehoor) or a task's (gedaan, niet gedaan)."""
    tasks = {"done": _("gedaan"), "not_done": _("niet gedaan")}
    return str(tasks[code]) if code in tasks else _label(CallOutcome, code)


@register.filter
def relation_links(text: str, check: dict[str, Any]) -> SafeString:
    """A check's finding with each relation number it names as a link to the relation page.

    The check's `links` maps number to id (a check stored before links existed has none).
    The numbers close the sentence ("... (relatienummers 1001, 1002)"), so the last
    whole-number occurrence of each is the one linked: a count earlier in the sentence that
    happens to equal a relation number stays text."""
    escaped = str(conditional_escape(text))
    spans: list[tuple[int, int, int]] = []
    for number, pk in (check.get("links") or {}).items():
        pattern = re.compile(r"(?<![\w.,])" + re.escape(str(escape(number))) + r"(?![\w])")
        found = list(pattern.finditer(escaped))
        if found:
            spans.append((found[-1].start(), found[-1].end(), int(pk)))
    for start, end, pk in sorted(spans, reverse=True):
        url = reverse("relations:detail", args=[pk])
        escaped = f'{escaped[:start]}<a href="{url}">{escaped[start:end]}</a>{escaped[end:]}'
    return mark_safe(escaped)  # every part escaped above
