"""Webhook: a signed HTTP POST to another system (a CRM, a print house, a chat channel)."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings

from koers.channels.base import Channel, Delivery, register
from koers.channels.content import TextError, render
from koers.channels.texts import TEXT_FIELDS
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint

TIMEOUT = 10


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(secret: str, timestamp: int, body: bytes, signature: str) -> bool:
    """For receivers: is this request really from Koers?"""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def secret() -> str:
    return settings.KOERS_WEBHOOK_SECRET or settings.SECRET_KEY


def payload(touchpoint: Touchpoint) -> bytes:
    """The JSON body: the touchpoint and its content, with its texts (subject, body, script,
    title) filled in as plain text. Raises TextError for a text the sandbox refuses."""
    content = {k: v for k, v in touchpoint.fields.items() if k != "url"}
    for field in TEXT_FIELDS:
        if field in content:
            content[field] = render(touchpoint, field)
    return json.dumps(
        {
            "touchpoint": touchpoint.pk,
            "relation": touchpoint.relation.external_id,
            "source": touchpoint.source,
            "step": touchpoint.step,
            "channel": touchpoint.channel,
            "nature": touchpoint.nature,
            "planned_at": touchpoint.planned_at.isoformat(),
            "content": content,
        },
        ensure_ascii=False,
    ).encode()


def post(url: str, body: bytes, now: datetime) -> Delivery:
    timestamp = int(now.timestamp())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Koers-Timestamp": str(timestamp),
            "X-Koers-Signature": sign(secret(), timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            code = response.status
    except urllib.error.HTTPError as error:
        return Delivery(Status.FAILED, f"HTTP {error.code} van {url}")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return Delivery(Status.FAILED, f"{url} niet bereikbaar: {reason}")
    return (
        Delivery(Status.SENT)
        if 200 <= code < 300
        else Delivery(Status.FAILED, f"HTTP {code} van {url}")
    )


@register
class Webhook(Channel):
    key = "webhook"
    consent = None

    def deliver(self, touchpoints: Sequence[Touchpoint], now: datetime) -> list[Delivery]:
        return [send(t, now) for t in touchpoints]


def send(touchpoint: Touchpoint, now: datetime) -> Delivery:
    try:
        body = payload(touchpoint)
    except TextError as error:  # nothing is posted with a text that was not filled in
        return Delivery(Status.FAILED, str(error))
    return post(str(touchpoint.fields.get("url", "")), body, now)
