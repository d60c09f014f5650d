"""E-mail goes out through a real SMTP server, and its unsubscribe link withdraws consent."""

from __future__ import annotations

from email.message import Message

import pytest
from django.test import Client

from koers.conftest import Inbox
from koers.journeys import actions
from koers.journeys.engine import tick
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Consent, Event
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def body(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8").replace("\r\n", "\n")
    return ""


def unsubscribe_path(message: Message) -> str:
    link = "".join(str(message["List-Unsubscribe"]).split()).strip("<>")
    return link.removeprefix("http://localhost:8000")


def test_the_thank_you_mail_arrives_at_the_smtp_server(smtp: Inbox, seeded: None) -> None:
    actions.install("welkom-structureel")
    donor("A1", "Anna", monthly_cents=1250, started=local(2026, 11, 2).date())
    donor("E2", "Emma", monthly_cents=2000, started=local(2026, 11, 2).date(), language="en")

    tick(local(2026, 11, 3))
    report = dispatch(local(2026, 11, 3))

    assert report.sent == 2
    anna, emma = sorted(smtp.messages, key=lambda m: str(m["To"]))
    assert (anna["To"], anna["Subject"]) == (
        "anna@example.org",
        "Dank u wel, Anna: uw machtiging is geregeld",
    )
    assert "Uw machtiging van € 12,50\nper maand is goed verwerkt." in body(anna)
    assert emma["Subject"] == "Thank you, Emma: your direct debit is set up"
    assert "Your direct debit of\n€ 20,00 a month has been set up." in body(emma)
    assert "Unsubscribe: http://localhost:8000/afmelden/" in body(emma)


def test_the_unsubscribe_link_asks_first_then_withdraws_email_consent(
    smtp: Inbox, seeded: None
) -> None:
    actions.install("welkom-structureel")
    anna = donor("A1", "Anna", monthly_cents=1250, started=local(2026, 11, 2).date())
    tick(local(2026, 11, 3))
    dispatch(local(2026, 11, 3))
    path = unsubscribe_path(smtp.messages[0])
    client = Client(enforce_csrf_checks=True)

    shown = client.get(path)  # what a mail scanner does: nothing may change
    assert shown.status_code == 200
    assert (
        "Wilt u geen e-mail meer van ons ontvangen op anna@example.org?" in shown.content.decode()
    )
    assert Consent.objects.get(relation=anna, channel="email").withdrawn_at is None

    done = client.post(path)  # one-click unsubscribe (RFC 8058) posts without a form token
    assert done.status_code == 200
    assert "U bent afgemeld" in done.content.decode()
    assert Consent.objects.get(relation=anna, channel="email").withdrawn_at is not None
    assert Event.objects.filter(relation=anna, kind="consent.withdrawn").count() == 1


def test_a_tampered_unsubscribe_link_explains_kindly_and_changes_nothing(db: None) -> None:
    page = Client().post("/afmelden/eyJ0IjoxfQ:forged:signature/")

    assert page.status_code == 404
    assert "Deze link werkt niet (meer)" in page.content.decode()
    assert Event.objects.count() == 0


def test_a_withdrawn_email_consent_stops_a_mail_already_planned(smtp: Inbox, seeded: None) -> None:
    actions.install("welkom-structureel")
    anna = donor("A1", "Anna", monthly_cents=1250, started=local(2026, 11, 2).date())
    tick(local(2026, 11, 3))
    Consent.objects.filter(relation=anna, channel="email").update(
        withdrawn_at=local(2026, 11, 3, 8)
    )

    report = dispatch(local(2026, 11, 3))

    assert smtp.messages == []
    assert dict(report.skipped) == {"no_consent": 1}
    assert Touchpoint.objects.get().skip_reason == "no_consent"
