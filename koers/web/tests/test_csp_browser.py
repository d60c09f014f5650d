"""The pages keep working under the Content-Security-Policy, in Debian's chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User

from koers.conftest import PASSWORD, log_in
from koers.relations.models import Relation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = [
    "/",
    "/relaties/",
    "/groepen/",
    "/groepen/nieuw/",
    "/klantreizen/",
    "/klantreizen/nieuw/",
    "/contactmomenten/",
    "/taken/",
    "/bellijst/",
    "/feedback/",
    "/kalender/",
    "/admin/",
    "/admin/relations/relation/",
]


@pytest.fixture
def administrator(seeded: None, relations: dict[str, Relation]) -> str:
    user = User.objects.create_user(username="bea", password=PASSWORD)
    user.groups.add(Role.objects.get(name="beheerder"))
    return "bea"


def test_every_page_loads_under_the_policy_without_a_violation(
    page: Any, live_server: Any, administrator: str, relations: dict[str, Relation]
) -> None:
    problems: list[str] = []

    def noted(message: Any) -> None:
        # The browser asks for a favicon of its own accord; Koers has none.
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            problems.append(message.text)

    page.on("console", noted)
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, live_server, administrator, "/")

    headers = []
    for path in [*PAGES, f"/relaties/{relations['anna'].pk}/"]:
        response = page.goto(f"{live_server.url}{path}")
        headers.append(response.headers.get("content-security-policy", ""))
        assert response.status == 200, path

    assert problems == []
    assert all("script-src 'self';" in header for header in headers)


def test_an_inline_script_is_refused_and_the_journey_editor_script_still_runs(
    page: Any, live_server: Any, administrator: str
) -> None:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, administrator, "/klantreizen/nieuw/")

    ran = page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.injected = true';
                   document.body.appendChild(s); return window.injected === true; }"""
    )
    page.fill("#id_steps", "eerste\ntweede\nderde")
    page.evaluate(
        """() => { const b = document.createElement('button'); b.type = 'button';
                   b.dataset.gotoLine = '2'; b.id = 'goto';
                   document.getElementById('journey-form').appendChild(b); }"""
    )
    page.click("#goto")
    selected = page.evaluate(
        "() => { const t = document.getElementById('id_steps');"
        " return t.value.slice(t.selectionStart, t.selectionEnd); }"
    )

    assert ran is False
    assert any("Content Security Policy" in text for text in violations)
    assert selected == "tweede"
