"""Sessions that end: after KOERS_SESSION_IDLE_MINUTES without a request, and at the latest
KOERS_SESSION_HOURS after logging in (docs/security.md).

Django's own expiry moves on whenever the session is saved, so it cannot hold an absolute
limit; the start and the last request are kept in the session itself. The last request is
written at most once a minute, not on every page.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

STARTED = "koers_started"
SEEN = "koers_seen"
WRITE_EVERY = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request, time.time())
        return self.get_response(request)

    def _check(self, request: HttpRequest, now: float) -> None:
        session = request.session
        started, seen = session.get(STARTED), session.get(SEEN)
        if started is None or seen is None:
            session[STARTED] = session[SEEN] = now
            return
        idle = now - float(seen) > settings.KOERS_SESSION_IDLE_MINUTES * 60
        if idle or now - float(started) > settings.KOERS_SESSION_HOURS * 3600:
            # Logged out here, the page itself sends the person to the login page.
            logout(request)
        elif now - float(seen) > WRITE_EVERY:
            session[SEEN] = now
