"""Template filters for Dutch numbers and dates: euro, datum and getal."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from koers import formatting

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    return formatting.euro(cents)


@register.filter
def datum(value: date | datetime | None) -> str:
    return formatting.day(value)


@register.filter
def getal(value: int | None) -> str:
    return formatting.whole_number(value)


@register.filter
def kanaal(value: str) -> str:
    """A channel code from event data, as the interface names it."""
    from koers.relations.choices import ContactChannel

    try:
        return str(ContactChannel(value).label)
    except ValueError:
        return value
