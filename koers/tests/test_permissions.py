"""Every page and endpoint, tried as anonymous and as each role, against the rule it declares.

The URL list is read from the resolver, so a new page without a line in RULES fails the
test: nobody can add a page and forget who may open it. A role is let in when the answer is
anything but "log in first" or 403 (a 404 for an object that does not exist, or a 405 for
a GET to a form's POST endpoint, come after the permission check). See docs/web.md, Rollen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ANONYMOUS = "anoniem"
NO_ROLE = ""
ROLES = ["beheerder", "strateeg", "analist", "beller", "kijker", "administrateur"]
EVERYONE = [ANONYMOUS, NO_ROLE, *ROLES]
LOGGED_IN = [NO_ROLE, *ROLES]
ADMIN = ["beheerder"]
EDITORS = ["beheerder", "strateeg"]
READERS = ["beheerder", "strateeg", "analist", "kijker"]
TOUCHPOINTS = ROLES
RELATIONS = ROLES
COMMENTS = ["beheerder", "strateeg", "analist"]
CALLERS = ["beheerder", "beller"]
INSIGHTS = ["beheerder", "strateeg", "analist"]

# Who may open each route, by its pattern. The admin site has one rule for all its pages.
RULES: dict[str, list[str]] = {
    "a/<str:token>/": EVERYONE,
    "a/<str:token>/bedankt/": EVERYONE,
    "k/<str:code>/": EVERYONE,
    "login/": EVERYONE,
    "logout/": EVERYONE,
    "i18n/setlang/": EVERYONE,
    "afmelden/<str:token>/": EVERYONE,
    "": LOGGED_IN,
    "contactmomenten/": TOUCHPOINTS,
    "contactmomenten/mogelijk-verstuurd/": TOUCHPOINTS,
    "contactmomenten/<int:pk>/beslissen/": ADMIN,
    "bellijst/": CALLERS,
    "bellijst/<int:pk>/uitkomst/": CALLERS,
    "taken/": TOUCHPOINTS,
    "taken/<int:pk>/afhandelen/": TOUCHPOINTS,
    "klantreizen/": READERS,
    "hoofdkaart/": READERS,
    "inzichten/": INSIGHTS,
    "inzichten/export.xlsx": INSIGHTS,
    "klantreizen/nieuw/": EDITORS,
    "klantreizen/controleren/": EDITORS,
    "klantreizen/<slug:key>/": READERS,
    "klantreizen/<slug:key>/bewerken/": EDITORS,
    "klantreizen/<slug:key>/controleren/": EDITORS,
    "klantreizen/<slug:key>/status/": EDITORS,
    "klantreizen/<slug:key>/deelnemers/": READERS,
    "klantreizen/<slug:key>/simulatie/": READERS,
    "kalender/": READERS,
    "kalender/voorbeeld-installeren/": EDITORS,
    "kalender/<slug:key>/": READERS,
    "kalender/<slug:key>/instellingen/": EDITORS,
    "kalender/<slug:key>/uitvoeren/": EDITORS,
    "kalender/<slug:key>/export.yaml": READERS,
    "kalender/<slug:key>/momenten/nieuw/": EDITORS,
    "kalender/<slug:key>/momenten/<slug:moment>/": EDITORS,
    "kalender/<slug:key>/momenten/<slug:moment>/verwijderen/": EDITORS,
    "kalender/<slug:key>/jaar/<int:year>/": READERS,
    "kalender/<slug:key>/jaar/<int:year>/opnieuw/": READERS,
    "kalender/<slug:key>/jaar/<int:year>/agenda.ics": READERS,
    "kalender/<slug:key>/jaar/<int:year>/overzicht.xlsx": READERS,
    "feedback/": READERS,
    "feedback/<slug:key>/": READERS,
    "feedback/<slug:key>/opmerkingen/": COMMENTS,
    "feedback/<slug:key>/export.xlsx": READERS,
    "relaties/": RELATIONS,
    "relaties/<int:pk>/": RELATIONS,
    "groepen/": READERS,
    "groepen/nieuw/": EDITORS,
    "groepen/tellen/": READERS,
    "groepen/<slug:key>/": EDITORS,
    "groepen/<slug:key>/aantal/": READERS,
    "groepen/<slug:key>/verwijderen/": EDITORS,
}
ADMIN_PREFIX = "admin/"


def routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


ALL = sorted(set(routes(get_resolver())))
OWN = [route for route in ALL if not route.startswith(ADMIN_PREFIX)]
# The admin's own pages: those without a regular expression of Django's.
ADMIN_PAGES = [r for r in ALL if r.startswith(ADMIN_PREFIX) and "(?P" not in r and "^" not in r]


def address(route: str) -> str:
    """A real address for the route: placeholders get a value nothing has."""
    filled = re.sub(r"<int:\w+>", "2026", route)
    filled = re.sub(r"<path:\w+>", "onbekend", filled)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "onbekend", filled)


def sent_to_log_in(client: Client, url: str) -> bool:
    response = client.get(url)
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith(("/login/", "/admin/login/"))


def refused(client: Client, url: str) -> bool:
    return client.get(url).status_code == 403 or sent_to_log_in(client, url)


def client_for(role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        user = User.objects.create_user(username=f"wie-{role or 'geen'}", password="x")
        if role:
            user.groups.add(Role.objects.get(name=role))
        client.force_login(user)
    return client


def test_every_route_declares_who_may_open_it() -> None:
    assert [route for route in OWN if route not in RULES] == []
    assert [route for route in RULES if route not in OWN] == []


@pytest.mark.parametrize("role", EVERYONE)
def test_every_route_lets_in_exactly_the_roles_it_declares(db: None, role: str) -> None:
    client = client_for(role)

    wrong = [
        (route, "let in" if role not in RULES[route] else "refused")
        for route in OWN
        if refused(client, address(route)) == (role in RULES[route])
    ]

    assert wrong == []


@pytest.mark.parametrize("role", [ANONYMOUS, "strateeg", "beheerder"])
def test_the_admin_site_is_for_administrators_only(db: None, role: str) -> None:
    client = client_for(role)
    # Logging in and out of the admin is open to anyone, as on the login page.
    pages = [route for route in ADMIN_PAGES if route not in ("admin/login/", "admin/logout/")]

    if role in ADMIN:
        # Let in to every page; a page may still refuse a read-only record's delete (403).
        wrong = [route for route in pages if sent_to_log_in(client, address(route))]
    else:
        wrong = [route for route in pages if not refused(client, address(route))]

    assert pages and wrong == []
