"""Login throttling and lockout, counted in the cache the web processes share.

After KOERS_LOGIN_ATTEMPTS wrong passwords for one user name from one client, that pair
is locked for KOERS_LOGIN_LOCKOUT_MINUTES; a client that tries many user names, or a user
name tried from many clients, is locked after four times as many. Every failure while locked
starts the wait again. The check sits in the authentication backend, so the login page, the
admin's login and anything later that calls authenticate() are all covered. With one web
process the local cache is enough; with more, KOERS_CACHE_URL gives them one count (docs/
decisions/0008-redis-for-a-shared-rate-limit.md). See docs/security.md.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from koers.web.limits import client_of

log = logging.getLogger(__name__)
# Many more attempts than a person makes, few enough to stop a dictionary.
SPREAD = 4


def _counters(username: str, request: HttpRequest | None) -> list[tuple[str, int]]:
    """The cache keys a failure counts in, each with the count that locks it."""
    name = username.strip().casefold()[:150]
    client = client_of(request) if request is not None else "unknown"
    limit = settings.KOERS_LOGIN_ATTEMPTS
    return [
        (f"koers:login:pair:{name}:{client}", limit),
        (f"koers:login:name:{name}", limit * SPREAD),
        (f"koers:login:client:{client}", limit * SPREAD),
    ]


def is_locked(username: str, request: HttpRequest | None) -> bool:
    try:
        counts = cache.get_many([key for key, _ in _counters(username, request)])
    except Exception:
        log.warning("login lockout not checked: the cache did not answer", exc_info=True)
        return False
    return any(counts.get(key, 0) >= limit for key, limit in _counters(username, request))


def record_failure(username: str, request: HttpRequest | None) -> None:
    seconds = settings.KOERS_LOGIN_LOCKOUT_MINUTES * 60
    try:
        for key, _limit in _counters(username, request):
            cache.add(key, 0, timeout=seconds)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=seconds)
            cache.touch(key, timeout=seconds)
    except Exception:
        log.warning("failed login not counted: the cache did not answer", exc_info=True)


def forget_failures(username: str, request: HttpRequest | None) -> None:
    """A successful login clears its own pair's count (not the client's or the name's)."""
    try:
        cache.delete(_counters(username, request)[0][0])
    except Exception:
        log.warning("failed logins not cleared: the cache did not answer", exc_info=True)


class ThrottledModelBackend(ModelBackend):
    """Django's own backend, which first refuses a locked user name and client."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is not None and is_locked(username, request):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    record_failure(str(credentials.get("username") or ""), request)


def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    forget_failures(user.get_username(), request)


LOCKED = _(
    "Te veel mislukte pogingen om in te loggen. Probeer het over %(minutes)s minuten opnieuw."
)


class _Locked:
    """Says that the user name is locked, before any password is tried."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]
    locked = False

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        if username and is_locked(username, self.request):
            record_failure(username, self.request)
            minutes = settings.KOERS_LOGIN_LOCKOUT_MINUTES
            self.locked = True
            raise forms.ValidationError(LOCKED, code="locked", params={"minutes": minutes})
        return super().clean()  # type: ignore[misc]


class LoginForm(_Locked, AuthenticationForm):
    pass


class AdminLoginForm(_Locked, AdminAuthenticationForm):
    pass
