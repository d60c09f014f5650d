"""Koers' own checks for `koers check --deploy`: a secret key that is the deployment's own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from koers import secret_key


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A published key is an error: anyone can sign links and sessions with it. No key in
    the environment is a warning: the local key file is this machine's alone."""
    if settings.SECRET_KEY in secret_key.PUBLIC_KEYS:
        return [Error(secret_key.PUBLISHED, id="koers.E001")]
    if not settings.KOERS_SECRET_KEY_FROM_ENV:
        return [Warning(secret_key.ONLY_HERE, id="koers.W001")]
    return []
