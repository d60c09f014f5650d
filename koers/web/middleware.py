"""Dutch unless the person chose otherwise (the browser's language is not a choice), and
no NUL byte from an address or a form ever reaches the database."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation


class ChosenLanguageMiddleware:
    """Activate the language picked with the switch (a cookie), else the default.

    Many Dutch office computers run an English browser; their users still expect the
    Dutch interface the organisation works in, so Accept-Language is ignored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.codes = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so a choice never leaks
        # into the next request served by the same thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _holds_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware:
    """Answer a NUL byte in the address or in a form with the 400 page.

    PostgreSQL cannot hold a NUL in text, not even to compare with (a search for "a%00b"
    failed with an error), and SQLite would store it silently; no page has a use for one.
    Only form bodies are looked at (their fields, not uploaded files): reading any other body
    here would take it from its view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        if _holds_nul(request.GET) or (form and _holds_nul(request.POST)):
            raise SuspiciousOperation("a NUL byte in the request's parameters")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send KOERS_CONTENT_SECURITY_POLICY with every response that has none of its own.

    Scripts come only from Koers' own static files, never from the page itself, so an
    injected <script> or onclick does not run. Style attributes stay allowed: the charts
    draw their bars with a computed width. See docs/security.md.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.KOERS_CONTENT_SECURITY_POLICY
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response
