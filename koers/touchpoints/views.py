"""Public pages reached from a message: unsubscribing. No login, never an error page."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from koers.channels.email import UNSUBSCRIBE_SALT
from koers.touchpoints.actions import unsubscribe as withdraw
from koers.touchpoints.models import Touchpoint

# A link stays valid for two years: people unsubscribe from old messages too.
MAX_AGE = 2 * 365 * 24 * 3600


def _touchpoint(token: str) -> Touchpoint | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Touchpoint.objects.select_related("relation")
        .filter(pk=data.get("t"), relation_id=data.get("r"))
        .first()
    )


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client, without a form
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (mail scanners follow links); POST withdraws e-mail consent."""
    touchpoint = _touchpoint(token)
    if touchpoint is None:
        return render(request, "touchpoints/unsubscribe.html", {"state": "invalid"}, status=404)
    with translation.override(touchpoint.relation.language):
        if request.method == "POST":
            withdraw(touchpoint, at=timezone.now())
            state = "done"
        else:
            state = "confirm"
        context = {"state": state, "email": touchpoint.relation.email}
        return render(request, "touchpoints/unsubscribe.html", context)
