"""Write the access log (koers/web/models.py) for a request."""

from __future__ import annotations

from django.http import HttpRequest

from koers.web.limits import client_of
from koers.web.models import AccessEntry, AccessKind


def record_access(request: HttpRequest, kind: AccessKind, target: str) -> AccessEntry:
    return AccessEntry.objects.create(
        username=request.user.get_username() if request.user.is_authenticated else "",
        kind=kind,
        target=target[:300],
        client=client_of(request),
    )
