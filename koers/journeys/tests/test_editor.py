"""The journey editor: checked while typing, published as a new version, refused with reasons."""

from __future__ import annotations

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
        "steps": (
            "- key: mail\n  kind: action\n  channel: email\n  nature: thank\n"
            "  content: {subject: Dank, body: Dank u wel}\n- key: einde\n  kind: exit\n"
        ),
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


def test_the_editor_keeps_the_minimum_gap_and_names_a_bad_one(editor: Client) -> None:
    editor.post("/klantreizen/nieuw/", form(min_gap="0"))
    refused = editor.post("/klantreizen/controleren/", form(min_gap="even"))
    page = editor.get("/klantreizen/bedankt/bewerken/").content.decode()

    assert JourneyVersion.objects.get().definition["min_gap"] == "0"
    assert 'name="min_gap" value="0"' in page
    assert "min_gap: &#x27;even&#x27; is geen duur" in refused.content.decode()
