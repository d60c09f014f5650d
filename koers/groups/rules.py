"""The group rule language: parse, type-check and evaluate rules over facts.

A rule reads like `mandate.active and support.annual >= 1000`. This module is pure (it
imports no models; its words for kinds, channels and bands are the choice classes' own):
it turns text into a checked tree, and can evaluate that tree in Python for one
relation's values. `koers.groups.queries` compiles the same tree to a database query;
the property tests hold the two to the same answers.

Semantics, identical in both: a comparison with an unknown (empty) value is false;
`not` negates that result; money is written in euros and stored in cents.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from koers.feedback.choices import InstrumentKind, NpsBand
from koers.giving.choices import Frequency, GiftKind
from koers.relations.choices import ContactChannel, Language, RelationKind, RelationStatus
from koers.touchpoints.choices import Channel

FieldType = Literal["money", "int", "date", "bool", "text"]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    label: str
    choices: tuple[str, ...] = ()


FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("gifts.first", "date", "datum eerste gift"),
        Field("gifts.last", "date", "datum laatste gift"),
        Field("gifts.count", "int", "aantal giften ooit"),
        Field("gifts.total", "money", "totaal gegeven ooit (euro)"),
        Field("gifts.count_12m", "int", "aantal giften laatste 12 maanden"),
        Field("gifts.total_12m", "money", "gegeven laatste 12 maanden (euro)"),
        Field("gifts.largest", "money", "grootste gift (euro)"),
        Field("mandate.active", "bool", "heeft een actieve machtiging"),
        Field("donor.lybunt", "bool", "gaf vorig kalenderjaar, dit jaar nog niet (LYBUNT)"),
        Field(
            "donor.sybunt", "bool", "gaf in een eerder jaar, niet vorig en niet dit jaar (SYBUNT)"
        ),
        Field("mandate.annual", "money", "machtiging per jaar (euro)"),
        Field("mandate.amount", "money", "bedrag per incasso (euro)"),
        Field("mandate.frequency", "text", "frequentie machtiging", tuple(Frequency.values)),
        Field("tenure.years", "int", "hele jaren sinds de eerste gift"),
        Field("rfm.recency", "int", "recency-score 1-5"),
        Field("rfm.frequency", "int", "frequentie-score 1-5"),
        Field("rfm.monetary", "int", "monetaire score 1-5"),
        Field("support.annual", "money", "steun per jaar (euro)"),
        Field("level", "text", "niveau (sleutel, bijvoorbeeld 'goud')"),
        Field("consent.email", "bool", "mag gemaild worden"),
        Field("consent.post", "bool", "mag post ontvangen"),
        Field("consent.phone", "bool", "mag gebeld worden"),
        Field("consent.sms", "bool", "mag een sms ontvangen"),
        Field("relation.kind", "text", "soort relatie", tuple(RelationKind.values)),
        Field("relation.language", "text", "taal", tuple(Language.values)),
        Field("relation.status", "text", "status", tuple(RelationStatus.values)),
        Field("relation.city", "text", "plaats"),
        Field(
            "relation.preferred_channel",
            "text",
            "voorkeurskanaal",
            (*ContactChannel.values, ""),
        ),
        Field("relation.age", "int", "leeftijd in hele jaren"),
    ]
}

# Fields of the event that started a journey, for trigger filters and branch conditions.
TRIGGER_FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("trigger.amount", "money", "bedrag van de gift of machtiging (euro)"),
        Field("trigger.annual", "money", "machtiging per jaar (euro)"),
        Field("trigger.frequency", "text", "frequentie", tuple(Frequency.values)),
        Field("trigger.campaign", "text", "campagne"),
        Field(
            "trigger.kind",
            "text",
            "soort gift, of soort vraag bij een antwoord",
            (*GiftKind.values, *InstrumentKind.values),
        ),
        Field("trigger.instrument", "text", "meetinstrument van het antwoord"),
        Field(
            "trigger.band",
            "text",
            "NPS-groep van het antwoord",
            tuple(NpsBand.values),
        ),
        Field(
            "trigger.channel",
            "text",
            "kanaal",
            tuple(dict.fromkeys([*ContactChannel.values, *Channel.values])),
        ),
        Field("trigger.outcome", "text", "uitkomst van het gesprek of de taak"),
        Field(
            "trigger.source",
            "text",
            "waar het gesprek of de taak vandaan kwam (journey:<reis>:<stap>)",
        ),
        Field("trigger.score", "int", "score van het antwoord"),
    ]
}
# Where each trigger field lives in the event's data.
TRIGGER_KEYS = {
    "trigger.amount": "amount_cents",
    "trigger.annual": "annual_cents",
    "trigger.frequency": "frequency",
    "trigger.campaign": "campaign",
    "trigger.kind": "kind",
    "trigger.instrument": "instrument",
    "trigger.band": "band",
    "trigger.channel": "channel",
    "trigger.outcome": "outcome",
    "trigger.source": "source",
    "trigger.score": "score",
}

TYPE_NAMES = {
    "money": "een bedrag",
    "int": "een geheel getal",
    "date": "een datum",
    "bool": "ja/nee",
    "text": "een tekst",
}
UNITS = {
    "day": "days",
    "days": "days",
    "dag": "days",
    "dagen": "days",
    "week": "weeks",
    "weeks": "weeks",
    "weken": "weeks",
    "month": "months",
    "months": "months",
    "maand": "months",
    "maanden": "months",
    "year": "years",
    "years": "years",
    "jaar": "years",
    "jaren": "years",
}
KEYWORDS = {
    "and": "and",
    "en": "and",
    "or": "or",
    "of": "or",
    "not": "not",
    "niet": "not",
    "in": "in",
    "true": "true",
    "ja": "true",
    "false": "false",
    "nee": "false",
    "today": "today",
    "vandaag": "today",
}


# Limits that keep a rule within what both databases can run: SQLite refuses an expression
# nested deeper than 1,000, and a parser that recursed without a limit would run out of stack.
MAX_LENGTH = 50_000  # characters; only a guard against pasting a whole file
MAX_DEPTH = 20  # parentheses and `not` inside one another
MAX_TERMS = 200  # conditions, counting every value of an `in` list as one
MAX_NUMBER = 999_999_999_999  # a bigger number is a typing error, and overflows SQLite
MAX_DAYS_AWAY = 366_000  # `today - N units`: about a thousand years at most
UNIT_DAYS = {"days": 1, "weeks": 7, "months": 31, "years": 366}


class RuleError(ValueError):
    """A rule that cannot be used, with a Dutch message and the position it concerns."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def caret(self, text: str) -> str:
        """The rule with a caret under the offending position, for terminals."""
        return f"{text}\n{' ' * self.position}^ {self.message}"


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      |(?P<date>\d{4}-\d{2}-\d{2})
      |(?P<number>\d+(?:[.,]\d+)?)
      |(?P<string>'[^']*'|"[^"]*")
      |(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      |(?P<op><=|>=|!=|==|=|<|>)
      |(?P<punct>[()\[\],+-])""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise RuleError(f"onverwacht teken '{text[pos]}'", pos)
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "name" and value.lower() in KEYWORDS:
            kind, value = "kw", KEYWORDS[value.lower()]
        if kind != "space":
            tokens.append(Token(kind, value, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# ---------------------------------------------------------------- tree


@dataclass(frozen=True)
class RelativeDate:
    """`today - 12 months`: resolved against the day the rule is evaluated."""

    sign: int
    amount: int
    unit: str

    def resolve(self, today: date) -> date:
        return shift(today, self.sign * self.amount, self.unit)


Value = int | str | bool | date | RelativeDate


@dataclass(frozen=True)
class Compare:
    field: Field
    op: str  # = != < <= > >=
    value: Value


@dataclass(frozen=True)
class InList:
    field: Field
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Flag:
    field: Field  # a bool field, true when set


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class BoolOp:
    op: Literal["and", "or"]
    items: tuple[Node, ...]


Node = Compare | InList | Flag | Not | BoolOp


def shift(day: date, amount: int, unit: str) -> date:
    """Move a date by whole days, weeks, months or years (month ends are clamped)."""
    if unit in ("days", "weeks"):
        return day + timedelta(days=amount * (7 if unit == "weeks" else 1))
    months = amount * (12 if unit == "years" else 1)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str, fields: Mapping[str, Field]) -> None:
        if len(text) > MAX_LENGTH:
            raise RuleError(
                f"de regel is te lang: {len(text)} tekens, hoogstens {MAX_LENGTH}", MAX_LENGTH
            )
        self.text = text
        self.fields = fields
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.terms = 0

    def nest(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError(
                f"de regel is te diep genest: hoogstens {MAX_DEPTH} haakjes of 'not' "
                "binnen elkaar; schrijf hem eenvoudiger",
                token.pos,
            )

    def count_term(self, token: Token) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise RuleError(
                f"de regel heeft te veel voorwaarden: hoogstens {MAX_TERMS} (elke waarde in een "
                "lijst telt mee); verdeel hem over meer groepen",
                token.pos,
            )

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, kind: str, text: str | None = None) -> Token | None:
        if self.token.kind == kind and (text is None or self.token.text == text):
            return self.take()
        return None

    def expect(self, kind: str, text: str, what: str) -> Token:
        token = self.accept(kind, text)
        if token is None:
            raise RuleError(f"{what} verwacht, maar vond {self.describe()}", self.token.pos)
        return token

    def describe(self) -> str:
        return "het einde van de regel" if self.token.kind == "end" else f"'{self.token.text}'"

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise RuleError("de regel is leeg", 0)
        node = self.parse_or()
        if self.token.kind != "end":
            raise RuleError(f"'and' of 'or' verwacht, maar vond {self.describe()}", self.token.pos)
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.accept("kw", "or"):
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_not()]
        while self.accept("kw", "and"):
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def parse_not(self) -> Node:
        token = self.token
        if self.accept("kw", "not"):
            self.nest(token)
            node: Node = Not(self.parse_not())
        elif self.accept("punct", "("):
            self.nest(token)
            node = self.parse_or()
            self.expect("punct", ")", "')'")
        else:
            return self.parse_condition()
        self.depth -= 1
        return node

    def parse_condition(self) -> Node:
        token = self.token
        if token.kind != "name":
            raise RuleError(f"een veld verwacht, maar vond {self.describe()}", token.pos)
        self.count_term(token)
        field = self.field(self.take())
        if self.token.kind == "op":
            op_token = self.take()
            op = "=" if op_token.text == "==" else op_token.text
            return check_compare(field, op, self.parse_value(field), op_token.pos)
        negated = self.token.kind == "kw" and self.token.text == "not"
        if negated or self.token.text == "in":
            if negated:
                self.take()
            self.expect("kw", "in", "'in'")
            node: Node = InList(field, self.parse_list(field))
            return Not(node) if negated else node
        if field.type != "bool":
            raise RuleError(
                f"'{field.name}' is {TYPE_NAMES[field.type]}: vergelijk het, "
                f"bijvoorbeeld '{field.name} >= ...'",
                token.pos,
            )
        return Flag(field)

    def field(self, token: Token) -> Field:
        field = self.fields.get(token.text.lower())
        if field is None:
            close = difflib.get_close_matches(token.text.lower(), self.fields, n=1)
            hint = f" (bedoelde u '{close[0]}'?)" if close else ""
            raise RuleError(f"onbekend veld '{token.text}'{hint}", token.pos)
        return field

    def parse_list(self, field: Field) -> tuple[Value, ...]:
        self.expect("punct", "[", "'['")
        values = [self.parse_value(field)]
        while self.accept("punct", ","):
            self.count_term(self.token)
            values.append(self.parse_value(field))
        self.expect("punct", "]", "']'")
        return tuple(values)

    def parse_value(self, field: Field) -> Value:
        token = self.take()
        if token.kind == "kw" and token.text == "today":
            return self.relative_date(field, token)
        value = literal(token)
        return check_value(field, value, token)

    def relative_date(self, field: Field, token: Token) -> Value:
        check_value(field, date.today(), token)  # only a date field takes `today`
        sign_token = self.accept("punct", "-") or self.accept("punct", "+")
        if sign_token is None:
            return RelativeDate(0, 0, "days")
        amount = self.take()
        if amount.kind != "number" or not amount.text.isdigit():
            raise RuleError("een geheel aantal verwacht na 'today -'", amount.pos)
        unit_token = self.take()
        unit = UNITS.get(unit_token.text.lower())
        if unit is None:
            raise RuleError(
                "een eenheid verwacht: days, weeks, months of years (dagen, weken, maanden, jaren)",
                unit_token.pos,
            )
        if int(amount.text) * UNIT_DAYS[unit] > MAX_DAYS_AWAY:
            raise RuleError("te ver van vandaag: hoogstens 1000 jaar terug of vooruit", amount.pos)
        return RelativeDate(-1 if sign_token.text == "-" else 1, int(amount.text), unit)


def literal(token: Token) -> Value:
    if token.kind == "number":
        number = float(token.text.replace(",", "."))
        if number > MAX_NUMBER:
            shown = token.text[:20]
            raise RuleError(f"getal te groot: {shown} (hoogstens {MAX_NUMBER})", token.pos)
        return number  # type: ignore[return-value]
    if token.kind == "string":
        return token.text[1:-1]
    if token.kind == "date":
        try:
            return date.fromisoformat(token.text)
        except ValueError:
            raise RuleError(f"ongeldige datum '{token.text}'", token.pos) from None
    if token.kind == "kw" and token.text in ("true", "false"):
        return token.text == "true"
    shown = "het einde van de regel" if token.kind == "end" else f"'{token.text}'"
    raise RuleError(f"een waarde verwacht, maar vond {shown}", token.pos)


def check_value(field: Field, value: Any, token: Token) -> Value:
    """Refuse a value of the wrong type for the field; convert euros to cents."""
    kind = {bool: "bool", float: "number", str: "text", date: "date"}[type(value)]
    expected = {"money": "number", "int": "number"}.get(field.type, field.type)
    if kind != expected:
        raise RuleError(
            f"'{field.name}' is {TYPE_NAMES[field.type]} en kan niet vergeleken worden "
            f"met {describe_value(kind)} {token.text}",
            token.pos,
        )
    if field.type == "money":
        return round(value * 100)
    if field.type == "int":
        if value != int(value):
            raise RuleError(f"'{field.name}' is een geheel getal, geen {token.text}", token.pos)
        return int(value)
    if field.type == "text" and field.choices and value not in field.choices:
        options = ", ".join(f"'{c}'" for c in field.choices if c)
        raise RuleError(
            f"'{value}' is geen geldige waarde voor '{field.name}'{_meant(value, field)}; "
            f"kies uit {options}",
            token.pos,
        )
    return value


def _meant(value: str, field: Field) -> str:
    """' (bedoelde u 'one_off'?)' for 'one-off', 'One off' and other spellings of a
    choice; '' otherwise (a guess at another word would mislead more than help)."""
    words = {choice.replace("_", " "): choice for choice in field.choices if choice}
    spoken = re.sub(r"[-_\s]+", " ", value.strip().lower())
    return f" (bedoelde u '{words[spoken]}'?)" if spoken in words else ""


def describe_value(kind: str) -> str:
    return {"number": "het getal", "text": "de tekst", "date": "de datum", "bool": "ja/nee"}[kind]


def check_compare(field: Field, op: str, value: Value, pos: int) -> Compare:
    if op not in ("=", "!=") and field.type in ("bool", "text"):
        raise RuleError(
            f"'{field.name}' is {TYPE_NAMES[field.type]}: gebruik = of != of 'in', niet {op}", pos
        )
    return Compare(field, op, value)


def parse(text: str, *, trigger: bool = False) -> Node:
    """Parse and type-check a rule. Raises RuleError with a Dutch message and position.

    With `trigger`, the rule may also use the fields of the event that started a journey.
    """
    fields = {**FIELDS, **TRIGGER_FIELDS} if trigger else FIELDS
    return _Parser(text, fields).parse()


# ---------------------------------------------------------------- evaluation


def age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def lapsing(last_gift: date | None, today: date) -> str:
    """'lybunt' when the last gift fell in the previous calendar year, 'sybunt' when it
    fell in an earlier one, '' otherwise (docs/insights.md)."""
    if last_gift is None or last_gift.year >= today.year:
        return ""
    return "lybunt" if last_gift.year == today.year - 1 else "sybunt"


def field_value(field: Field, values: Mapping[str, Any], today: date) -> Any:
    if field.name in ("donor.lybunt", "donor.sybunt"):
        return lapsing(values.get("gifts.last"), today) == field.name.split(".")[1]
    if field.name == "relation.age":
        return age(values.get("relation.birth_date"), today)
    value = values.get(field.name)
    if field.name == "relation.city" and isinstance(value, str):
        return value.lower()
    return value


def resolve(value: Value, field: Field, today: date) -> Any:
    if isinstance(value, RelativeDate):
        return value.resolve(today)
    if field.name == "relation.city" and isinstance(value, str):
        return value.lower()
    return value


_COMPARE = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(node: Node, values: Mapping[str, Any], today: date) -> bool:
    """Evaluate a parsed rule for one relation's values (money in cents)."""
    if isinstance(node, BoolOp):
        results = (evaluate(item, values, today) for item in node.items)
        return all(results) if node.op == "and" else any(results)
    if isinstance(node, Not):
        return not evaluate(node.item, values, today)
    if isinstance(node, Flag):
        return bool(field_value(node.field, values, today))
    actual = field_value(node.field, values, today)
    if actual is None:
        return False  # unknown values never match a comparison
    if isinstance(node, InList):
        return actual in {resolve(v, node.field, today) for v in node.values}
    return bool(_COMPARE[node.op](actual, resolve(node.value, node.field, today)))
