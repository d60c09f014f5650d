"""The journey editor: checked while typing, published as a new version, refused with reasons."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from koers.journeys import actions
from koers.journeys.models import JourneyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(seeded: None) -> Client:
    user = User.objects.create_user("strateeg-test", password="x")
    user.user_permissions.add(Permission.objects.get(codename="edit_journeys"))
    client = Client()
    client.force_login(user)
    return client


STEPS_TEXT = (
    "- key: mail\n  kind: action\n  channel: email\n  nature: thank\n"
    "  content: {subject: Dank, body: Dank u wel}\n- key: einde\n  kind: exit\n"
)
STEPS = [
    {
        "key": "mail",
        "kind": "action",
        "channel": "email",
        "nature": "thank",
        "content": {"subject": "Dank", "body": "Dank u wel"},
    },
    {"key": "einde", "kind": "exit"},
]

STORED = {
    "key": "bedankt",
    "name": "Bedankt voor uw gift",
    "phase": "bedanken",
    "status": "active",
    "trigger": {"event": "gift.received"},
    "steps": STEPS,
}


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Bedankt voor uw gift",
        "key": "bedankt",
        "phase": "bedanken",
        "group": "",
        "description": "",
        "owner": "Fondsenwerving",
        "status": "active",
        "exit_when": ["deceased"],
        "trigger": "event: gift.received\nwhere: trigger.amount >= 50\nreentry: always\n",
        "steps": STEPS_TEXT,
        "running": "stay",
    }
    data.update(changes)
    return data


def test_publishing_from_the_editor_makes_version_one(editor: Client) -> None:
    response = editor.post("/klantreizen/nieuw/", form())

    assert response.status_code == 302
    version = JourneyVersion.objects.get()
    assert (version.journey.key, version.number, version.journey.phase.key) == (
        "bedankt",
        1,
        "bedanken",
    )
    assert version.definition["trigger"] == {
        "event": "gift.received",
        "where": "trigger.amount >= 50",
        "reentry": "always",
    }


def test_the_live_check_lists_what_is_wrong(editor: Client) -> None:
    steps = "- key: mail\n  kind: action\n  channel: email\n  nature: bedanken\n  next: nergens\n"

    response = editor.post("/klantreizen/controleren/", form(steps=steps))

    page = response.content.decode()
    assert "onbekende aard &#x27;bedanken&#x27;" in page
    assert "volgende stap &#x27;nergens&#x27; bestaat niet" in page
    assert JourneyVersion.objects.count() == 0


def test_broken_yaml_names_the_line(editor: Client) -> None:
    response = editor.post("/klantreizen/nieuw/", form(steps="- key: a\n  kind: [wait\n"))

    assert "Geen geldige YAML (regel 2)." in response.content.decode()
    assert JourneyVersion.objects.count() == 0


def test_editing_an_installed_template_shows_its_steps(editor: Client) -> None:
    actions.install("welkom-structureel")

    page = editor.get("/klantreizen/welkom-structureel/bewerken/").content.decode()

    assert "bedankmail" in page and "wait_for_event" in page


def test_a_viewer_may_not_edit(seeded: None) -> None:
    client = Client()
    client.force_login(User.objects.create_user("kijker-test", password="x"))

    assert client.get("/klantreizen/nieuw/").status_code == 403


def as_browser_sends(page: str, **changes: Any) -> tuple[str, dict[str, Any]]:
    """Where the editor's live check posts, and what a browser sends it: every field that is
    not disabled, as the page filled it in, with `changes` typed over it."""
    check = re.search(r'hx-post="([^"]+)"', page)
    assert check is not None
    sent = form(**changes)
    for name in re.findall(r'name="(\w+)"[^>]*\bdisabled\b', page):
        sent.pop(name, None)
    return check.group(1), sent


def test_an_existing_journey_opens_without_a_false_error(editor: Client) -> None:
    actions.publish(STORED)
    page = editor.get("/klantreizen/bedankt/bewerken/").content.decode()

    url, sent = as_browser_sends(page)
    answer = editor.post(url, sent).content.decode()

    assert "key" not in sent  # the key of an existing journey cannot be changed
    assert "Dit veld is verplicht" not in answer
    assert "De klantreis klopt en kan worden gepubliceerd." in answer


def test_the_live_check_reports_the_steps_while_a_field_is_wrong(editor: Client) -> None:
    steps = STEPS_TEXT.replace("channel: email", "channel: emial")

    answer = editor.post("/klantreizen/controleren/", form(name="", steps=steps))

    page = answer.content.decode()
    assert "Naam: Dit veld is verplicht." in page
    assert "onbekend kanaal &#x27;emial&#x27;" in page
    assert JourneyVersion.objects.count() == 0


def test_the_live_check_reports_each_problem_at_its_step_and_line(editor: Client) -> None:
    steps = STEPS_TEXT.replace("channel: email", "channel: emial").replace(
        "kind: exit", "kind: exit\n  wacht: 3"
    )

    answer = editor.post("/klantreizen/controleren/", form(steps=steps))

    html = answer.content.decode()
    places = re.findall(r'<li class="place"[^>]*data-step="([^"]*)" data-line="(\d+)"', html)
    assert places == [("mail", "1"), ("einde", "6")]
    assert "stap &#x27;mail&#x27;:" not in html  # said once, in the heading of the place


def test_a_refused_publish_keeps_its_message_outside_the_live_check(editor: Client) -> None:
    actions.publish(STORED)
    page = editor.get("/klantreizen/bedankt/bewerken/").content.decode()
    _url, sent = as_browser_sends(
        page, steps=STEPS_TEXT.replace("channel: email", "channel: emial")
    )

    answer = editor.post("/klantreizen/bedankt/bewerken/", sent).content.decode()

    published = re.search(
        r'<div id="published"[^>]*>(.*?)</div>\s*<!-- /published -->', answer, re.S
    )
    assert published is not None
    assert "onbekend kanaal &#x27;emial&#x27;" in published.group(1)
    trigger = re.search(r'hx-trigger="([^"]*)"', answer)
    assert trigger is not None and "load" not in trigger.group(1)  # no second say on load
    assert JourneyVersion.objects.count() == 1


def test_the_editor_keeps_the_minimum_gap_and_names_a_bad_one(editor: Client) -> None:
    editor.post("/klantreizen/nieuw/", form(min_gap="0"))
    refused = editor.post("/klantreizen/controleren/", form(min_gap="even"))
    page = editor.get("/klantreizen/bedankt/bewerken/").content.decode()

    assert JourneyVersion.objects.get().definition["min_gap"] == "0"
    assert 'name="min_gap" value="0"' in page
    assert "min_gap: &#x27;even&#x27; is geen duur" in refused.content.decode()
