"""E-mail through Django's e-mail backend (SMTP in production), with an unsubscribe link.

Every message carries a Message-ID made of the touchpoint and the attempt
(`<koers.123.1@example.org>`), recorded before the SMTP transaction begins, so the mail
server's log tells whether a message a dying worker handed over did arrive.
"""

from __future__ import annotations

import contextlib
import smtplib
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

from koers.channels.base import Channel, Delivery, Session
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


def message_id(touchpoint: Touchpoint) -> str:
    """The Message-ID of the touchpoint's current attempt: the same every time it is asked."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "koers.localhost"
    return f"<koers.{touchpoint.pk}.{touchpoint.attempts}@{domain}>"


def message(
    touchpoint: Touchpoint, now: datetime | None = None, *, message_id: str = ""
) -> EmailMultiAlternatives:
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
            **({"Message-ID": message_id} if message_id else {}),
        },
    )
    html_footer = f'<p style="color:#666;font-size:small"><a href="{escape(link)}">' + (
        "Unsubscribe</a></p>" if english else "Afmelden</a></p>"
    )
    html = linebreaks(escape(body)) + (survey.html if survey else "") + html_footer
    mail.attach_alternative(html, "text/html")
    return mail


class _Mail(Session):
    """One SMTP connection for a round, opened at the first message."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.connection: BaseEmailBackend | None = None
        self.ready: dict[int, EmailMultiAlternatives] = {}

    def prepare(self, touchpoint: Touchpoint) -> Delivery | None:
        touchpoint.delivery_key = message_id(touchpoint)
        try:
            mail = message(touchpoint, self.now, message_id=touchpoint.delivery_key)
        except Exception as error:  # one broken text fails its own message, not the round
            return Delivery(Status.FAILED, f"{type(error).__name__}: {error}")
        self.ready[touchpoint.pk] = mail
        return None

    def send(self, touchpoint: Touchpoint) -> Delivery:
        mail = self.ready.pop(touchpoint.pk)
        if self.connection is None:
            connection = get_connection(fail_silently=False)
            try:
                connection.open()
            except (OSError, smtplib.SMTPException) as error:
                # Not one byte of the message left: it waits for the next round.
                return Delivery(Status.PLANNED, f"mailserver niet bereikbaar: {error}", halt=True)
            self.connection = connection
        try:
            sent = self.connection.send_messages([mail])
        except Exception as error:
            return self._failed(error)
        return Delivery(Status.SENT) if sent else Delivery(Status.FAILED, "geen ontvanger")

    def _failed(self, error: Exception) -> Delivery:
        text = f"{type(error).__name__}: {error}"
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            return Delivery(Status.FAILED, text)
        if isinstance(error, smtplib.SMTPResponseException):
            # The server answered with a refusal: it did not take the message.
            if error.smtp_code >= 500:
                return Delivery(Status.FAILED, text)
            return Delivery(Status.PLANNED, text, halt=error.smtp_code == 421)
        if isinstance(error, OSError):
            # The connection broke during the transaction: the server may have the message.
            self.close()
            return Delivery(Status.UNCERTAIN, text, halt=True)
        return Delivery(Status.FAILED, text)  # refused before anything was sent

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            # A broken connection has nothing left to close.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.close()


class Email(Channel):
    key = "email"
    label = _("e-mail")
    icon = "✉"
    consent = ContactChannel.EMAIL
    address_fields = ("email",)
    content_needs = ("subject", "body")
    cost_cents = 1

    def session(self, now: datetime, owner: str) -> Session:
        return _Mail(now)
