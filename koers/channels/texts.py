"""The sandbox that texts are written in: Django template syntax, a fixed set of variables.

Strategists write the texts of journey steps and calendar moments (`{{ aanhef }}`,
`{% if trigger.comment %}`). A text is filled in with plain values only (strings, numbers,
the trigger's data as a plain dict), never with a model object, so it cannot walk from the
relation to anyone else's data. It is checked when it is published: every variable must be
one of VARIABLES (and a part of `relatie` one of RELATION_PARTS), and only the tags in TAGS
and the filters in FILTERS may be used. A text that slipped past the check (stored before
it existed, or written straight into the database) is checked again when it is filled in and
refused as a whole (TextError). See docs/journeys.md, "Texts", and
docs/decisions/0010-texts-in-a-sandbox.md.

This module is pure: it imports no models. koers.channels.content builds the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from django.template import (
    Context,
    Engine,
    Library,
    Template,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import Node, NodeList, TextNode, VariableNode
from django.template.defaulttags import CommentNode, ForNode, IfNode, TemplateLiteral, WithNode
from django.utils.translation import gettext as _

from koers import formatting

# The variables a text may use. Dutch names, with the English aliases texts used before.
VARIABLES = (
    "aanhef",
    "naam",
    "voornaam",
    "organisatie",
    "organisation",
    "bedrag",
    "bedrag_per_jaar",
    "frequentie",
    "datum",
    "afmelden",
    "trigger",
    "relatie",
    "relation",
)
RELATION_NAMES = ("relatie", "relation")
# The parts of `relatie` (a plain dict of the relation's own data): the name a text uses and
# the relation's field it is read from. The Dutch names are the ones a message offers; the
# English ones are the field names texts used before there was a sandbox.
RELATION_FIELDS = {
    "naam": "display_name",
    "voornaam": "first_name",
    "voorletters": "initials",
    "tussenvoegsel": "infix",
    "achternaam": "last_name",
    "organisatienaam": "organisation_name",
    "straat": "street",
    "huisnummer": "house_number",
    "postcode": "postcode",
    "plaats": "city",
    "land": "country",
    "email": "email",
    "telefoon": "phone",
    "relatienummer": "external_id",
    "geboortedatum": "birth_date",
    "taal": "language",
}
RELATION_ALIASES = {
    "display_name": "display_name",
    "first_name": "first_name",
    "initials": "initials",
    "infix": "infix",
    "last_name": "last_name",
    "organisation_name": "organisation_name",
    "salutation": "salutation",
    "street": "street",
    "house_number": "house_number",
    "city": "city",
    "country": "country",
    "phone": "phone",
    "external_id": "external_id",
    "birth_date": "birth_date",
    "language": "language",
}
RELATION_PARTS = {**RELATION_FIELDS, **RELATION_ALIASES}
# The content fields that are texts; the other fields (role, consent, url, survey, ...) are
# settings and are never filled in.
TEXT_FIELDS = ("subject", "body", "script", "title")
# {% if %} comes with its {% elif %}, {% else %} and {% endif %}.
TAGS = ("if", "comment")
DJANGO_FILTERS = (
    "add",
    "capfirst",
    "default",
    "default_if_none",
    "floatformat",
    "lower",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "yesno",
)
KOERS_FILTERS = ("euro", "getal", "datum")
FILTERS = DJANGO_FILTERS + KOERS_FILTERS

# What the check found, as (kind, subject): kept apart from the wording so that a cached
# check is told in the language of whoever reads it.
Finding = tuple[str, str]


class TextError(ValueError):
    """A text that may not be filled in; `problems` says why, each in words."""

    def __init__(self, problems: list[str], field: str = "") -> None:
        self.problems = problems
        self.field = field
        told = "; ".join(problems)
        if field:
            told = _("veld '%(field)s': %(problems)s") % {"field": field, "problems": told}
        super().__init__(told)


def _euro(cents: Any) -> str:
    """Cents (a number, or digits from the trigger's data) as € 1.234,56."""
    try:
        return formatting.euro(int(cents))
    except (TypeError, ValueError):
        return ""


def _getal(value: Any) -> str:
    try:
        return formatting.whole_number(int(value))
    except (TypeError, ValueError):
        return ""


def _datum(value: Any) -> str:
    """A date (or an ISO date from the trigger's data) as 23-11-2026."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return ""
    return formatting.day(value) if isinstance(value, date) else ""


def _koers_library() -> Library:
    library = Library()
    library.filter("euro", _euro)
    library.filter("getal", _getal)
    library.filter("datum", _datum)
    return library


def _sandbox_library() -> Library:
    library = Library()
    library.tag("if", defaulttags.do_if)
    library.tag("comment", defaulttags.comment)
    for name in DJANGO_FILTERS:
        library.filter(name, defaultfilters.register.filters[name])
    library.filters.update(_koers_library().filters)
    return library


# Reads any Django template, so that the check can name what is not allowed.
_READER = Engine(autoescape=False, libraries={})
_READER.template_builtins = [*_READER.template_builtins, _koers_library()]
_READER.template_libraries = {"koers": _koers_library()}
# Fills texts in: knows nothing but the allowed tags and filters (no {% load %}, {% include %},
# {% for %}, {% debug %}), and never escapes: each medium escapes the filled-in text itself.
SANDBOX = Engine(autoescape=False, libraries={})
SANDBOX.template_builtins = [_sandbox_library()]


def problems(source: str) -> list[str]:
    """What is wrong with a text, each problem in words; empty when it may be used."""
    return [_told(finding) for finding in _compiled(source)[1]]


def fill(source: str, values: Mapping[str, Any], field: str = "") -> str:
    """The text filled in with `values` (plain values for every name in VARIABLES), as plain
    text. Raises TextError for a text that breaks the rules: nothing of it is filled in."""
    template, findings = _compiled(source)
    if template is None:
        raise TextError([_told(finding) for finding in findings], field)
    return template.render(Context(dict(values), autoescape=False)).strip()


def content_problems(content: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The problems of a step's or moment's texts: (field, message) pairs, where the field is
    'body' or, for a text per language, 'body.en'."""
    found = []
    for field in TEXT_FIELDS:
        value = content.get(field)
        variants = value.items() if isinstance(value, Mapping) else [("", value)]
        for language, text in variants:
            if text is None:
                continue
            where = f"{field}.{language}" if language else field
            found += [(where, message) for message in problems(str(text))]
    return found


@lru_cache(maxsize=1024)
def _compiled(source: str) -> tuple[Template | None, tuple[Finding, ...]]:
    """The sandboxed template, or None and what is wrong with the text."""
    try:
        read = _READER.from_string(source)
    except TemplateSyntaxError as error:
        return None, (("syntax", str(error)),)
    findings: list[Finding] = []
    _walk(read.nodelist, frozenset(), findings)
    if findings:
        return None, tuple(dict.fromkeys(findings))
    try:
        return SANDBOX.from_string(source), ()
    except TemplateSyntaxError as error:  # only if the two engines disagree
        return None, (("syntax", str(error)),)


def _walk(nodes: Iterable[Node], local: frozenset[str], findings: list[Finding]) -> None:
    """Every tag, variable and filter in the template; `local` are names a refused tag
    ({% for %}, {% with %}) defines, so that only the tag itself is reported for them."""
    for node in nodes:
        if isinstance(node, (TextNode, CommentNode)):
            continue
        if isinstance(node, VariableNode):
            _expression(node.filter_expression, local, findings)
        elif isinstance(node, IfNode):
            for condition, body in node.conditions_nodelists:
                if condition is not None:
                    _condition(condition, local, findings)
                _walk(body, local, findings)
        else:
            findings.append(("tag", _tag_name(node)))
            _refused_tag(node, local, findings)


def _refused_tag(node: Node, local: frozenset[str], findings: list[Finding]) -> None:
    inner = local
    if isinstance(node, ForNode):
        _expression(node.sequence, local, findings)
        inner = local | set(node.loopvars)
    elif isinstance(node, WithNode):
        for expression in node.extra_context.values():
            _expression(expression, local, findings)
        inner = local | set(node.extra_context)
    for name in node.child_nodelists:
        children = getattr(node, name, None)
        if isinstance(children, NodeList):
            _walk(children, inner, findings)


def _tag_name(node: Node) -> str:
    token = getattr(node, "token", None)
    contents = str(getattr(token, "contents", "")).split()
    return contents[0] if contents else type(node).__name__


def _condition(condition: Any, local: frozenset[str], findings: list[Finding]) -> None:
    """An {% if %} condition: a literal or variable, or an operator over one or two."""
    if isinstance(condition, TemplateLiteral):
        _expression(condition.value, local, findings)
        return
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            _condition(part, local, findings)


def _expression(expression: Any, local: frozenset[str], findings: list[Finding]) -> None:
    """A FilterExpression: its variable, its filters and their arguments."""
    if expression.is_var:
        _variable(expression.var.lookups, local, findings)
    for function, arguments in expression.filters:
        name = getattr(function, "_filter_name", getattr(function, "__name__", "?"))
        if name not in FILTERS:
            findings.append(("filter", name))
        for is_variable, argument in arguments:
            if is_variable:
                _variable(argument.lookups, local, findings)


def _variable(
    lookups: tuple[str, ...] | None, local: frozenset[str], findings: list[Finding]
) -> None:
    if not lookups or lookups[0] in local:
        return  # a literal ("tekst", 12), or a name a refused tag defines
    first = lookups[0]
    if first not in VARIABLES:
        findings.append(("variable", first))
    elif first in RELATION_NAMES and len(lookups) > 1:
        if lookups[1] not in RELATION_PARTS:
            findings.append(("relation", ".".join(lookups[:2])))
        elif len(lookups) > 2:
            findings.append(("parts", ".".join(lookups[:3])))
    elif first != "trigger" and first not in RELATION_NAMES and len(lookups) > 1:
        findings.append(("parts", ".".join(lookups[:2])))


def _told(finding: Finding) -> str:
    kind, subject = finding
    if kind == "variable":
        return _("onbekende variabele '%(name)s'; gebruik een van: %(names)s") % {
            "name": subject,
            "names": ", ".join(VARIABLES),
        }
    if kind == "relation":
        return _("onbekende variabele '%(name)s'; een relatie heeft alleen: %(names)s") % {
            "name": subject,
            "names": ", ".join(RELATION_FIELDS),
        }
    if kind == "parts":
        name, part = subject.rsplit(".", 1)
        return _("onbekende variabele '%(name)s': '%(whole)s' heeft geen onderdeel '%(part)s'") % {
            "name": subject,
            "whole": name,
            "part": part,
        }
    if kind == "tag":
        return _(
            "'{%% %(tag)s %%}' kan niet in een tekst; alleen {%% if %%} (met {%% elif %%}, "
            "{%% else %%} en {%% endif %%}) en {%% comment %%} kunnen"
        ) % {"tag": subject}
    if kind == "filter":
        return _("filter '|%(name)s' kan niet in een tekst; gebruik een van: %(names)s") % {
            "name": subject,
            "names": ", ".join(FILTERS),
        }
    return _("de tekst is niet te lezen: %(error)s") % {"error": subject}
