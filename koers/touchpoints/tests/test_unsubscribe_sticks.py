"""An unsubscribe leaves a record that planning, dispatch and the opt-out exit all honour,
also after the CRM's consents are imported again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.test import Client

from koers.channels.email import unsubscribe_token
from koers.giving import actions as giving
from koers.giving.choices import Frequency
from koers.imports.api import import_file
from koers.imports.tests.conftest import write
from koers.journeys import actions
from koers.journeys.engine import tick
from koers.journeys.models import Enrollment
from koers.journeys.tests.conftest import donor, local
from koers.relations.choices import EventSource
from koers.relations.models import Consent, Event, Relation
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db
HEADER = "relatienummer;kanaal;grondslag;datum;ingetrokken\n"
Write = Callable[..., Path]
__all__ = ["write"]  # the fixture, used by name


def unsubscribe(touchpoint: Touchpoint, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        done = Client().post(f"/afmelden/{unsubscribe_token(touchpoint)}/")
    assert done.status_code == 200 and "U bent afgemeld" in done.content.decode()


def earlier_mailing(relation: Relation) -> Touchpoint:
    return Touchpoint.objects.create(
        relation=relation,
        source="calendar:nieuwsbrief:2026",
        occurrence="1",
        channel="email",
        nature="inform",
        planned_at=local(2026, 9, 1),
    )


def thank_you_mail(relation: Relation) -> Touchpoint:
    return Touchpoint.objects.get(relation=relation, step="bedankmail")


def test_the_crm_import_after_an_unsubscribe_does_not_bring_the_mail_back(
    quiet_channels: None, seeded: None, write: Write
) -> None:
    """The issue's case from start to end: the thank-you mail is planned, the donor
    unsubscribes, the CRM's old consents come in again, and then the mail is due."""
    actions.install("welkom-structureel")
    anna = donor("A1", "Anna", monthly_cents=1250, started=date(2026, 11, 2))
    tick(local(2026, 11, 3, 7))
    unsubscribe(thank_you_mail(anna), local(2026, 11, 3, 8))

    report = import_file(
        "consents", write("crm.csv", HEADER + "A1;e-mail;toestemming;01-01-2026;\n")
    )
    sent = dispatch(local(2026, 11, 3, 9))

    assert report.ok and report.notice_count == 1
    assert Consent.objects.get(relation=anna, channel="email").withdrawn_at == local(2026, 11, 3, 8)
    assert mail.outbox == [] and dict(sent.skipped) == {"no_consent": 1}
    assert thank_you_mail(anna).skip_reason == "no_consent"


def test_an_unsubscribe_without_consent_is_recorded_and_planning_honours_it(
    quiet_channels: None, seeded: None, write: Write
) -> None:
    """Ella never gave e-mail consent in Koers but unsubscribed from an earlier mailing; the
    CRM then reports a consent from before that. Fleur's CRM consent is from after hers."""
    actions.install("welkom-structureel")
    ella = donor("E5", "Ella", channels=("post",))
    fleur = donor("F6", "Fleur", channels=("post",))
    unsubscribe(earlier_mailing(ella), local(2026, 10, 1, 14))
    unsubscribe(earlier_mailing(fleur), local(2026, 10, 1, 14))
    recorded = Consent.objects.get(relation=ella, channel="email")
    withdrawn = Event.objects.filter(relation=ella, kind="consent.withdrawn").get()
    rows = "E5;e-mail;toestemming;15-09-2026;\nF6;e-mail;toestemming;15-10-2026;\n"

    report = import_file("consents", write("crm.csv", HEADER + rows))
    for relation in (ella, fleur):
        donor_mandate(relation)
    tick(local(2026, 11, 3))

    assert (recorded.basis, recorded.withdrawn_at) == ("none", local(2026, 10, 1, 14))
    assert (withdrawn.source, withdrawn.data) == (
        "web",
        {
            "channel": "email",
            "reason": "afmeldlink in e-mail (calendar:nieuwsbrief:2026)",
            "basis": "none",
        },
    )
    assert [(n.row, n.problem.split(":")[0]) for n in report.notices] == [
        (2, "de intrekking op 01-10-2026 blijft staan"),
        (3, "toestemming opnieuw gegeven, na de intrekking op 01-10-2026"),
    ]
    assert (thank_you_mail(ella).status, thank_you_mail(ella).skip_reason) == (
        "skipped",
        "no_consent",
    )
    assert (thank_you_mail(fleur).status, thank_you_mail(fleur).skip_reason) == ("planned", "")


def donor_mandate(relation: Relation) -> None:
    giving.start_mandate(
        relation.pk,
        f"M-{relation.external_id}",
        1000,
        Frequency.MONTHLY,
        date(2026, 11, 2),
        source=EventSource.IMPORT,
    )


def test_the_opt_out_exit_reads_an_unsubscribe_without_any_consent(
    quiet_channels: None, seeded: None
) -> None:
    """Without any consent, unsubscribing used to record nothing, so the journey never
    heard of it; now it ends the journey at the next tick."""
    actions.install("welkom-structureel")
    gijs = donor("G7", "Gijs", channels=(), monthly_cents=1000, started=date(2026, 11, 2))
    tick(local(2026, 11, 3))
    unsubscribe(thank_you_mail(gijs), local(2026, 11, 4, 10))

    tick(local(2026, 11, 5))

    enrollment = Enrollment.objects.get(relation=gijs)
    assert (enrollment.state, enrollment.exit_reason) == ("exited", "opt_out")
