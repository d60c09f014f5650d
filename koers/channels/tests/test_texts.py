"""The sandbox texts are written in: what it accepts, what it refuses and how it says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, TemplateSyntaxError
from django.utils import translation

from koers.channels import texts
from koers.channels.texts import TextError, content_problems, fill, problems

# The text from the issue: from the relation, through its journey, to everyone on it.
WALKER = (
    "{% for e in relatie.enrollments.all.0.journey.enrollments.all %}"
    "{{ e.relation.display_name }} {{ e.relation.email }} {{ e.relation.phone }} "
    "{{ e.relation.birth_date }}\n{% endfor %}"
)
TAG_REFUSED = (
    "'{%% %s %%}' kan niet in een tekst; alleen {%% if %%} (met {%% elif %%}, {%% else %%} "
    "en {%% endif %%}) en {%% comment %%} kunnen"
)
RELATION_HAS = (
    "een relatie heeft alleen: naam, voornaam, voorletters, tussenvoegsel, achternaam, "
    "organisatienaam, straat, huisnummer, postcode, plaats, land, email, telefoon, "
    "relatienummer, geboortedatum, taal"
)
USE_ONE_OF = (
    "gebruik een van: aanhef, naam, voornaam, organisatie, organisation, bedrag, "
    "bedrag_per_jaar, frequentie, datum, afmelden, trigger, relatie, relation"
)


def values(**given: Any) -> dict[str, Any]:
    """Every variable, empty unless given: what koers.channels.content hands over."""
    return dict.fromkeys(texts.VARIABLES, "") | given


def test_the_text_that_walks_to_other_relations_is_refused_naming_the_tag_and_the_step() -> None:
    assert problems(WALKER) == [
        TAG_REFUSED % "for",
        f"onbekende variabele 'relatie.enrollments'; {RELATION_HAS}",
    ]


def test_an_unknown_variable_is_named_with_the_variables_that_can_be_used() -> None:
    assert problems("Beste {{ klant.naam }},") == [
        f"onbekende variabele 'klant'; {USE_ONE_OF}",
    ]


def test_every_variable_and_every_part_of_the_relation_may_be_used() -> None:
    every = " ".join(f"{{{{ {name} }}}}" for name in texts.VARIABLES)
    parts = " ".join(f"{{{{ relatie.{part} }}}}" for part in texts.RELATION_PARTS)

    assert problems(every) == []
    assert problems(parts) == []
    assert problems("{{ relation.first_name }} {{ trigger.gift.amount_cents|euro }}") == []


def test_a_plain_value_has_no_parts_and_a_relation_field_has_none_either() -> None:
    assert problems("{{ naam.upper }} {{ relatie.plaats.title }}") == [
        "onbekende variabele 'naam.upper': 'naam' heeft geen onderdeel 'upper'",
        "onbekende variabele 'relatie.plaats.title': 'relatie.plaats' heeft geen onderdeel 'title'",
    ]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("{% load koers %}{{ bedrag }}", "load"),
        ('{% include "base.html" %}', "include"),
        ("{% debug %}", "debug"),
        ("{% with n=relatie %}{{ n.enrollments }}{% endwith %}", "with"),
        ("{% now 'Y' %}", "now"),
    ],
)
def test_tags_other_than_if_and_comment_are_refused(text: str, tag: str) -> None:
    assert problems(text) == [TAG_REFUSED % tag]


def test_a_filter_outside_the_list_is_refused_and_so_is_an_unknown_name_in_its_argument() -> None:
    assert problems("{{ voornaam|default:klantnaam|slugify }}") == [
        f"onbekende variabele 'klantnaam'; {USE_ONE_OF}",
        "filter '|slugify' kan niet in een tekst; gebruik een van: add, capfirst, default, "
        "default_if_none, floatformat, lower, title, truncatechars, truncatewords, upper, "
        "yesno, euro, getal, datum",
    ]


def test_the_variables_in_an_if_condition_are_checked_too() -> None:
    assert problems(
        "{% if trigger.score < 7 and geheim %}x{% elif relatie.kind %}y{% endif %}"
    ) == [
        f"onbekende variabele 'geheim'; {USE_ONE_OF}",
        f"onbekende variabele 'relatie.kind'; {RELATION_HAS}",
    ]


def test_a_text_that_cannot_be_read_says_so() -> None:
    assert problems("{% if trigger.comment %}Toelichting: {{ trigger.comment }}") == [
        "de tekst is niet te lezen: Unclosed tag on line 1: 'if'. Looking for one of: elif, "
        "else, endif."
    ]


def test_the_problems_are_told_in_english_for_an_english_reader() -> None:
    with translation.override("en"):
        told = problems("{{ klant }}{% for x in trigger %}{% endfor %}")

    assert told == [
        "unknown variable 'klant'; use one of: aanhef, naam, voornaam, organisatie, "
        "organisation, bedrag, bedrag_per_jaar, frequentie, datum, afmelden, trigger, "
        "relatie, relation",
        "'{% for %}' cannot be used in a text; only {% if %} (with {% elif %}, {% else %} and "
        "{% endif %}) and {% comment %} can",
    ]


def test_a_content_with_texts_per_language_names_the_field_and_the_language() -> None:
    content = {
        "subject": "Dank u, {{ voornaam }}",
        "body": {"nl": "{{ aanhef }}", "en": "{{ salutation }}"},
        "role": "{{ not a text }}",
    }

    assert content_problems(content) == [
        ("body.en", f"onbekende variabele 'salutation'; {USE_ONE_OF}"),
    ]


def test_a_text_is_filled_in_as_plain_text_never_escaped() -> None:
    given = values(
        naam="Anne 't Hart", organisatie="Jansen & Zonen B.V.",
        voornaam="<script>alert(1)</script>", relatie={"plaats": "Müller-Lüdenscheidt"},
    )  # fmt: skip

    filled = fill(
        "{{ naam }} / {{ organisatie }} / {{ voornaam }} / {{ relatie.plaats|upper }}", given
    )

    assert filled == (
        "Anne 't Hart / Jansen & Zonen B.V. / <script>alert(1)</script> / MÜLLER-LÜDENSCHEIDT"
    )


def test_conditions_defaults_and_the_koers_filters_work_as_in_any_template() -> None:
    text = (
        "{% if trigger.amount_cents >= 5000 %}Een grote gift van {{ trigger.amount_cents|euro }}"
        "{% else %}Een gift{% endif %}, {{ voornaam|default:naam }}, op "
        "{{ trigger.date|datum }}{# niet te zien #}{% comment %}ook niet{% endcomment %}."
    )
    given = values(
        naam="Jansen & Zonen B.V.", trigger={"amount_cents": 123456, "date": "2026-11-23"}
    )

    assert fill(text, given) == (
        "Een grote gift van € 1.234,56, Jansen & Zonen B.V., op 23-11-2026."
    )


def test_a_refused_text_is_not_filled_in_at_all() -> None:
    given = values(relatie={"voornaam": "Anne"})

    with pytest.raises(TextError) as refused:
        fill("Beste {{ relatie.voornaam }}, " + WALKER, given, "body")

    assert refused.value.field == "body"
    assert str(refused.value) == (
        f"veld 'body': {TAG_REFUSED % 'for'}; onbekende variabele 'relatie.enrollments'; "
        f"{RELATION_HAS}"
    )


def test_the_engine_that_fills_texts_in_knows_no_tag_but_if_and_comment() -> None:
    # Even a text that got past the check could not loop, include, load or debug.
    for text in (WALKER, '{% include "base.html" %}', "{% load i18n %}", "{% debug %}"):
        with pytest.raises(TemplateSyntaxError):
            texts.SANDBOX.from_string(text)
    assert texts.SANDBOX.from_string("{% if 1 %}ja{% endif %}").render(Context()) == "ja"
