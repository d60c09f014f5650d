"""Parsing the values Dutch CRM exports contain. Pure: no models, no database.

Every parser takes the cell text and returns the typed value, or raises Problem with a
Dutch message a data person understands.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any


class Problem(ValueError):
    """A cell that cannot be used; the message says what is expected."""


SHOWN = 40  # characters of a cell a report repeats; the rest is cut off with "…"


def shown(text: str) -> str:
    """A cell as a report shows it: at most SHOWN characters, a NUL byte made visible."""
    cut = text if len(text) <= SHOWN else text[:SHOWN] + "…"
    return cut.replace("\x00", "␀")


def digits(text: str) -> bool:
    """Only 0-9: str.isdigit() also accepts '²' and other scripts' digits, which int() refuses
    or reads as a number nobody typed."""
    return text.isascii() and text.isdigit()


def cell_problem(text: str, limit: int) -> str | None:
    """What makes a cell unusable whatever its column: too long, or a NUL byte in it.

    PostgreSQL refuses NUL in text and SQLite would store it silently, so both refuse it here.
    """
    if len(text) > limit:
        return f"de cel is {len(text)} tekens lang, hoogstens {limit} per cel"
    position = text.find("\x00")
    if position >= 0:
        return (
            f"bevat een NUL-teken (teken {position + 1}); dat hoort niet in een tekst en kan "
            "niet worden opgeslagen"
        )
    return None


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")
_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})$")

_date_cache: dict[str, date] = {}

# The largest amount an import accepts: a billion euros. Larger numbers are typing errors, and
# beyond 2^63 cents neither database can store them.
MAX_CENTS = 100_000_000_000


def parse_date(text: str) -> date:
    """23-11-2026, 23/11/2026, 23.11.2026 or 2026-11-23 (a time after it is ignored)."""
    cached = _date_cache.get(text)
    if cached is not None:
        return cached
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise Problem(f"ongeldige datum: {shown(text)} (verwacht dd-mm-jjjj of jjjj-mm-dd)")
        year, month, day = (int(g) for g in match.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        raise Problem(f"ongeldige datum: {shown(text)} (deze dag bestaat niet)") from None
    if len(_date_cache) < 100_000:
        _date_cache[text] = value
    return value


def parse_cents(text: str) -> int:
    """An amount in euros as Dutch exports write it, in cents: 12,50 / € 1.234,56 / 1234.5."""
    cleaned = text.replace("€", "").replace("EUR", "").replace("\u00a0", "").replace(" ", "")
    negative = cleaned.startswith("-")
    number = cleaned.lstrip("-+")
    if "," in number and "." in number:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
        number = number.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in number:
        number = number.replace(",", ".")
    elif _THOUSANDS.match(number):
        number = number.replace(".", "")  # 1.234 is a thousand, the Dutch way
    whole, _, fraction = number.partition(".")
    if not digits(whole) or (fraction and not digits(fraction)) or number.count(".") > 1:
        raise Problem(f"ongeldig bedrag: {shown(text)} (verwacht bijvoorbeeld 12,50 of € 1.234,56)")
    if len(fraction) > 2:
        raise Problem(f"ongeldig bedrag: {shown(text)} (meer dan twee cijfers achter de komma)")
    cents = int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
    if negative or cents == 0:
        raise Problem(f"bedrag moet groter dan 0 zijn, niet {shown(text)}")
    if cents > MAX_CENTS:
        raise Problem(f"bedrag is te groot: {shown(text)} (hoogstens € 1.000.000.000)")
    return cents


def parse_email(text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value):
        raise Problem(f"ongeldig e-mailadres: {shown(text)}")
    return value.lower()


def parse_postcode(text: str) -> str:
    """Dutch postcodes are stored as '1234 AB'; foreign ones are kept as written."""
    match = _POSTCODE.match(text.strip())
    return f"{match.group(1)} {match.group(2).upper()}" if match else text.strip()


def parse_phone(text: str) -> str:
    value = re.sub(r"[\s\-().]", "", text)
    if not re.fullmatch(r"\+?\d{6,15}", value):
        raise Problem(f"ongeldig telefoonnummer: {shown(text)}")
    return value


def choice(name: str, values: dict[str, str]) -> Callable[[str], str]:
    """A parser accepting English and Dutch words for one set of values, case-insensitively."""
    options = ", ".join(sorted({k for k in values if k}))

    def parse(text: str) -> str:
        value = values.get(text.strip().lower())
        if value is None:
            raise Problem(f"onbekende {name}: {shown(text)} (kies uit {options})")
        return value

    return parse


def text_of(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = " ".join(text.split())
        if len(value) > limit:
            raise Problem(f"te lang: {len(value)} tekens, hoogstens {limit}")
        return value

    return parse


def cell_text(value: Any) -> str:
    """Excel cells arrive typed; bring them back to the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return str(value.date().isoformat())
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    """A parser for a whole number from `low` to `high`; `what` names it in the message."""

    def parse(text: str) -> int:
        cleaned = text.strip()
        if not digits(cleaned.removeprefix("-")) or not low <= int(cleaned) <= high:
            raise Problem(
                f"{what}: een geheel getal van {low} tot en met {high}, niet '{shown(text)}'"
            )
        return int(cleaned)

    parse.stage_type = "int"  # type: ignore[attr-defined]
    return parse
