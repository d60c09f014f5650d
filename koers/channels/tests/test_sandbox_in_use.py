"""Texts reach only the relation's own data: refused when published, refused again when
filled in for a text that got into the database anyway, and filled with plain values only."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from koers.calendar.plan import PlanError, parse_plan
from koers.channels import texts
from koers.channels.content import render, values
from koers.channels.tests.test_texts import RELATION_HAS, TAG_REFUSED, WALKER
from koers.conftest import Inbox
from koers.journeys import actions
from koers.journeys.definition import DefinitionError
from koers.journeys.engine import tick
from koers.journeys.models import Journey, JourneyVersion
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Relation
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
REFUSED = [TAG_REFUSED % "for", f"onbekende variabele 'relatie.enrollments'; {RELATION_HAS}"]


def thank_you(body: str, channel: str = "email") -> dict[str, Any]:
    content = {"subject": "Dank u wel", "body": body, "script": body}
    return {
        "key": "bedanken", "name": "Bedanken", "phase": "bedanken", "status": "active",
        "trigger": {"event": "mandate.started", "reentry": "once"},
        "steps": [{"key": "bedankmail", "kind": "action", "channel": channel, "nature": "thank",
                   "content": content}],
    }  # fmt: skip


def others() -> list[Relation]:
    """Four relations on the same journey: the data the walking text reached."""
    return [
        donor(number, name, monthly_cents=1000, started=date(2026, 11, 2), birth_date=born)
        for number, name, born in [
            ("B2", "Bram", date(1961, 3, 4)), ("C3", "Carla", date(1975, 6, 7)),
            ("D4", "Daan", date(1988, 9, 10)), ("E5", "Eva", date(1990, 12, 1)),
        ]
    ]  # fmt: skip


def smuggle(body: str) -> None:
    """Put a text into the stored version, past the check, as an old database might hold it."""
    version = JourneyVersion.objects.get()
    version.definition["steps"][0]["content"] = {"subject": "Dank u wel", "body": body,
                                                 "script": body}  # fmt: skip
    version.save()


def test_publishing_the_text_that_walks_to_other_relations_is_refused_naming_step_and_field(
    seeded: None,
) -> None:
    with pytest.raises(DefinitionError) as refused:
        actions.publish(thank_you("Beste {{ voornaam }},\n" + WALKER))

    assert refused.value.problems == [
        f"stap 'bedankmail'.content.{field}: {problem}"
        for field in ("body", "script")
        for problem in REFUSED
    ]
    assert Journey.objects.count() == 0


def test_a_calendar_moment_with_that_text_is_refused_too() -> None:
    plan = {
        "key": "k", "name": "Kalender",
        "moments": [{"key": "kerst", "name": "Kerst", "when": {"date": "12-20"}, "groups": "all",
                     "channels": ["card"], "nature": "appreciate", "content": {"body": WALKER}}],
    }  # fmt: skip

    with pytest.raises(PlanError) as refused:
        parse_plan(plan)

    assert refused.value.problems == [f"moments[1] (kerst).content.body: {p}" for p in REFUSED]


def test_a_stored_walking_text_fails_its_mails_and_sends_nothing_of_anyone(
    smtp: Inbox, seeded: None, login: Login
) -> None:
    # Given a published journey whose stored text was changed behind the check's back
    actions.publish(thank_you("Beste {{ voornaam }}, dank u wel."))
    smuggle("Beste {{ voornaam }},\n" + WALKER)
    everyone = [donor("A1", "Anna", monthly_cents=1000, started=date(2026, 11, 2)), *others()]

    # When the engine runs and the mails are sent
    tick(local(2026, 11, 2, 13))
    report = dispatch(local(2026, 11, 2, 13))

    # Then the engine planned every mail as usual (it does not fall over on the text), none
    # goes out, and each contact says why, naming nothing of anyone
    assert Touchpoint.objects.count() == 5
    assert (report.sent, report.failed, smtp.messages) == (0, 5, [])
    assert set(Touchpoint.objects.values_list("status", "error")) == {
        ("failed", "TextError: veld 'body': " + "; ".join(REFUSED))
    }
    assert len(everyone) == Relation.objects.count() == 5
    # And the journey's map still shows the stored version
    assert login("strateeg").get("/klantreizen/bedanken/").context["map"] is not None


def test_a_stored_walking_call_script_shows_a_problem_and_no_one_on_the_call_list(
    login: Login, seeded: None, quiet_channels: None
) -> None:
    actions.publish(thank_you("Bel {{ naam }}.", channel="phone"))
    others()
    tick(local(2026, 11, 2, 13))
    dispatch(local(2026, 11, 2, 13))  # Monday 13:00: the calls go on the list
    smuggle(WALKER)

    page = html.unescape(login("beller").get("/bellijst/").content.decode())

    assert page.count("Dit belscript kan niet worden getoond:") == 4
    assert page.count("; ".join(REFUSED)) == 4
    for relation in Relation.objects.all():
        # Each card shows its own relation's name and number, never a birth date or another's
        assert page.count(relation.display_name) == 1
        assert relation.birth_date is not None
        assert relation.birth_date.strftime("%d-%m-%Y") not in page


def test_the_values_a_text_gets_are_plain_and_only_the_relations_own(seeded: None) -> None:
    actions.publish(thank_you("Beste {{ voornaam }}"))
    anna = donor(
        "A1", "Anna", monthly_cents=1250, started=date(2026, 11, 2), birth_date=date(1980, 5, 1)
    )
    others()
    tick(local(2026, 11, 2, 13))
    mail = Touchpoint.objects.get(relation=anna)

    given = values(mail, {"afmelden": "https://example.org/afmelden/x/"})

    assert set(given) == set(texts.VARIABLES)
    assert _only_plain(given)
    assert given["relatie"] == given["relation"]
    assert set(given["relatie"]) == set(texts.RELATION_PARTS)
    assert {k: given["relatie"][k] for k in ("voornaam", "plaats", "geboortedatum")} == {
        "voornaam": "Anna", "plaats": "Utrecht", "geboortedatum": "01-05-1980",
    }  # fmt: skip
    assert (given["bedrag"], given["frequentie"], given["datum"]) == (
        "€ 12,50", "per maand", "02-11-2026",
    )  # fmt: skip


def test_texts_written_before_the_sandbox_with_relation_fields_still_read_the_same(
    seeded: None, quiet_channels: None
) -> None:
    actions.publish(
        thank_you("{{ relatie.first_name }} uit {{ relatie.city }} ({{ relation.external_id }})")
    )
    anna = donor("A1", "Anna", monthly_cents=1250, started=date(2026, 11, 2))
    tick(local(2026, 11, 2, 13))

    assert render(Touchpoint.objects.get(relation=anna), "body") == "Anna uit Utrecht (A1)"


def _only_plain(value: Any) -> bool:
    """Strings, numbers and plain dicts and lists of them: nothing a text could walk from."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _only_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_only_plain(item) for item in value)
    return value is None or type(value) in (str, int, float, bool)
