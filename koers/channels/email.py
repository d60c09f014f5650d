"""E-mail through Django's e-mail backend (SMTP in production), with an unsubscribe link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks

from koers.channels.base import Channel, Delivery, register
from koers.channels.content import render
from koers.relations.choices import ContactChannel
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint

# A new salt for the links that carry the relation's secret: the older links, which carried
# only numbers, no longer open anything (docs/decisions/0011-no-default-secret-key.md).
UNSUBSCRIBE_SALT = "koers.unsubscribe.secret"
# A link stays valid for two years: people unsubscribe from old messages too.
UNSUBSCRIBE_VALID_FOR = timedelta(days=2 * 365)


def unsubscribe_token(touchpoint: Touchpoint) -> str:
    """The touchpoint's number and its relation's random secret, signed and dated."""
    value = f"{touchpoint.pk}.{touchpoint.relation.unsubscribe_secret}"
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(value)


def open_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(touchpoint number, secret) from a link that is signed and not expired, or None.
    The caller must still check the secret against the relation's."""
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    try:
        value = signer.unsign(token, max_age=UNSUBSCRIBE_VALID_FOR)
    except signing.BadSignature:  # expired links too: the page says the same for both
        return None
    number, _, secret = value.partition(".")
    return (int(number), secret) if _is_id(number) and secret else None


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 18  # fits a 64-bit key


def unsubscribe_url(touchpoint: Touchpoint) -> str:
    path = reverse("unsubscribe", args=[unsubscribe_token(touchpoint)])
    return f"{settings.KOERS_BASE_URL}{path}"


def message(touchpoint: Touchpoint, now: datetime | None = None) -> EmailMultiAlternatives:
    from koers.feedback.delivery import email_block

    link = unsubscribe_url(touchpoint)
    survey = email_block(touchpoint, now or timezone.now())
    english = touchpoint.relation.language == "en"
    subject = render(touchpoint, "subject", {"afmelden": link})
    body = render(touchpoint, "body", {"afmelden": link})
    footer = (
        f"Rather not receive these e-mails? Unsubscribe: {link}"
        if english
        else f"Liever geen e-mail meer van ons? Afmelden: {link}"
    )
    asked = f"\n\n{survey.text}" if survey else ""
    text = f"{body}{asked}\n\n--\n{footer}\n"
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[touchpoint.relation.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Koers-Touchpoint": str(touchpoint.pk),
        },
    )
    html_footer = f'<p style="color:#666;font-size:small"><a href="{escape(link)}">' + (
        "Unsubscribe</a></p>" if english else "Afmelden</a></p>"
    )
    html = linebreaks(escape(body)) + (survey.html if survey else "") + html_footer
    mail.attach_alternative(html, "text/html")
    return mail


@register
class Email(Channel):
    key = "email"
    consent = ContactChannel.EMAIL
    address_fields = ("email",)

    def deliver(self, touchpoints: Sequence[Touchpoint], now: datetime) -> list[Delivery]:
        results: list[Delivery] = []
        with get_connection(fail_silently=False) as connection:
            for touchpoint in touchpoints:
                try:
                    connection.send_messages([message(touchpoint, now)])
                except Exception as error:
                    results.append(Delivery(Status.FAILED, f"{type(error).__name__}: {error}"))
                else:
                    results.append(Delivery(Status.SENT))
        return results
