"""Webhook: a signed HTTP POST to another system (a CRM, a print house, a chat channel).

Every request carries `Idempotency-Key: koers-<touchpoint>`, the same on every attempt, so
a receiver that keeps the keys it has seen can ignore a request sent again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from koers.channels.base import Channel, Delivery, Session
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


def post(url: str, body: bytes, now: datetime, key: str = "") -> Delivery:
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "X-Koers-Timestamp": str(timestamp),
        "X-Koers-Signature": sign(secret(), timestamp, body),
    }
    if key:
        headers["Idempotency-Key"] = key
    try:
        request = urllib.request.Request(url, data=body, method="POST", headers=headers)
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            code = response.status
    except urllib.error.HTTPError as error:
        return Delivery(Status.FAILED, f"HTTP {error.code} van {url}")
    except TimeoutError as error:
        # Sent, but no answer in time: the receiver may have taken it.
        return Delivery(Status.UNCERTAIN, f"{url} antwoordde niet op tijd: {error}")
    except ValueError as error:  # not a web address: nothing was sent
        return Delivery(Status.FAILED, f"{url}: geen geldig webadres ({error})")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return Delivery(Status.FAILED, f"{url} niet bereikbaar: {reason}")
    return (
        Delivery(Status.SENT)
        if 200 <= code < 300
        else Delivery(Status.FAILED, f"HTTP {code} van {url}")
    )


class _Posts(Session):
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.bodies: dict[int, bytes] = {}

    def prepare(self, touchpoint: Touchpoint) -> Delivery | None:
        super().prepare(touchpoint)  # the Idempotency-Key: koers-<touchpoint>
        try:
            self.bodies[touchpoint.pk] = payload(touchpoint)
        except TextError as error:  # nothing is posted with a text that was not filled in
            return Delivery(Status.FAILED, str(error))
        except Exception as error:  # a body that cannot be made is not posted at all
            return Delivery(Status.FAILED, f"{type(error).__name__}: {error}")
        return None

    def send(self, touchpoint: Touchpoint) -> Delivery:
        url = str(touchpoint.fields.get("url", ""))
        return post(url, self.bodies.pop(touchpoint.pk), self.now, touchpoint.delivery_key)


class Webhook(Channel):
    key = "webhook"
    label = _("webhook")
    icon = "⇄"
    consent = None
    content_needs = ("url",)

    def session(self, now: datetime, owner: str) -> Session:
        return _Posts(now)
