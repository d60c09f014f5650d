"""Numbers and dates for pages, commands and exports: the Dutch way (€ 1.234,56 and
23-11-2026) unless asked for English (€1,234.56 and 23 Nov 2026).

Dutch is the default for every caller: exports, commands, letters and e-mail keep Dutch
figures whatever language the person who started them reads. The pages pass the language
they are shown in (see the template filters in koers/web/templatetags/koers.py)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _english(language: str | None) -> bool:
    return (language or "nl").startswith("en")


def euro(cents: int | None, language: str | None = "nl") -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    if _english(language):
        return f"€{sign}{whole:,}.{rest:02d}"
    return f"€ {sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


def euro_short(cents: int | None, language: str | None = "nl") -> str:
    """An amount in a sentence: € 300 for whole euros, € 1.234,56 otherwise."""
    text = euro(cents, language)
    if cents is not None and cents % 100 == 0:
        return text.removesuffix(".00" if _english(language) else ",00")
    return text


def whole_number(value: int | None, language: str | None = "nl") -> str:
    if value is None:
        return ""
    return f"{value:,}" if _english(language) else f"{value:,}".replace(",", ".")


def decimal(value: float, language: str | None = "nl", places: int = 1) -> str:
    text = f"{value:.{places}f}"
    return text if _english(language) else text.replace(".", ",")


def day(value: date | datetime | None, language: str | None = "nl") -> str:
    if value is None:
        return ""
    time = ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        time = value.strftime(" %H:%M")
    if _english(language):
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}{time}"
    return value.strftime("%d-%m-%Y") + time
