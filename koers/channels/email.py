"""E-mail through Django's e-mail backend (SMTP in production), with an unsubscribe link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

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

UNSUBSCRIBE_SALT = "koers.unsubscribe"


def unsubscribe_token(touchpoint: Touchpoint) -> str:
    return signing.dumps({"t": touchpoint.pk, "r": touchpoint.relation_id}, salt=UNSUBSCRIBE_SALT)


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
