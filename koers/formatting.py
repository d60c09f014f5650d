"""Numbers and dates the Dutch way, for pages, commands and exports: € 1.234,56 and 23-11-2026."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def euro(cents: int | None) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"€ {sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


def euro_short(cents: int | None) -> str:
    """An amount in a sentence: € 300 for whole euros, € 1.234,56 otherwise."""
    if cents is not None and cents % 100 == 0:
        return euro(cents).removesuffix(",00")
    return euro(cents)


def whole_number(value: int | None) -> str:
    return "" if value is None else f"{value:,}".replace(",", ".")


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")
