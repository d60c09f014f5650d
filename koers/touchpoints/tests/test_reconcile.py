"""Claims that outlived their worker, possibly sent touchpoints, and a person's decision."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from koers.conftest import Inbox
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Relation
from koers.touchpoints.actions import TouchpointError, decide_uncertain
from koers.touchpoints.choices import Decision, Status
from koers.touchpoints.claims import Lease, claim, hand, record
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.reconcile import reconcile

pytestmark = pytest.mark.django_db
NOW = local(2026, 11, 24, 10)
LATER = NOW + timedelta(minutes=16)  # past KOERS_CLAIM_TIMEOUT (15 minutes)
MAIL = {"subject": "Nieuws", "body": "{{ aanhef }} Zo helpt u."}


def mail_for(person: str | Relation, *, nature: str = "inform", n: str = "1") -> Touchpoint:
    relation = donor(f"R-{person}", person) if isinstance(person, str) else person
    return Touchpoint.objects.create(
        relation=relation, source="test:tp", occurrence=n, channel="email", nature=nature,
        content=MAIL, planned_at=NOW - timedelta(minutes=5),
    )  # fmt: skip


def abandoned(touchpoint: Touchpoint, *, handed: bool) -> Lease:
    """What a worker that died leaves behind: claimed, and maybe handed over."""
    lease = Lease(NOW)
    [claimed] = claim(lease, NOW, 1)
    if handed:
        claimed.attempts, claimed.delivery_key = 1, f"<koers.{claimed.pk}.1@koers.localhost>"
        assert hand(lease, claimed)
    return lease


def test_a_claim_never_handed_over_is_planned_again_and_sent_once(
    quiet_channels: None, seeded: None
) -> None:
    anna = mail_for("Anna")
    abandoned(anna, handed=False)

    report = dispatch(LATER)

    anna.refresh_from_db()
    assert (report.sent, anna.status, anna.attempts) == (1, Status.SENT, 1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<koers.{anna.pk}.1@koers.localhost>"


def test_a_mail_handed_over_but_not_recorded_becomes_possibly_sent_and_is_not_resent(
    quiet_channels: None, seeded: None
) -> None:
    anna = mail_for("Anna")
    abandoned(anna, handed=True)

    assert dispatch(NOW + timedelta(minutes=14)).handled == 0  # the claim has not lapsed yet
    report = dispatch(LATER)

    anna.refresh_from_db()
    assert (report.handled, anna.status, anna.claimed_at) == (0, Status.UNCERTAIN, None)
    assert anna.delivery_key == f"<koers.{anna.pk}.1@koers.localhost>"
    assert mail.outbox == []
    assert dispatch(LATER + timedelta(days=1)).handled == 0  # and never later either


def test_a_late_answer_from_a_worker_taken_for_dead_still_counts(
    quiet_channels: None, seeded: None
) -> None:
    from koers.channels.base import Delivery

    anna = mail_for("Anna")
    lease = abandoned(anna, handed=True)
    reconcile(LATER)

    assert record(lease, anna, Delivery(Status.SENT), NOW)

    anna.refresh_from_db()
    assert (anna.status, anna.sent_at, anna.claimed_by) == (Status.SENT, NOW, "")


def test_a_worker_whose_claim_was_taken_over_hands_nothing_over(
    quiet_channels: None, seeded: None
) -> None:
    mail_for("Anna")
    lease = Lease(NOW)
    [claimed] = claim(lease, NOW, 1)
    reconcile(LATER)  # it stalled past the timeout: its claim was given back

    assert not hand(lease, claimed)
    assert Touchpoint.objects.get().status == Status.PLANNED


def test_possibly_sent_counts_for_contact_pressure(quiet_channels: None, seeded: None) -> None:
    """The default ceiling for asks is one per 30 days: the ask possibly sent fills it."""
    ask = mail_for("Anna", nature="ask")
    abandoned(ask, handed=True)
    reconcile(LATER)
    second = mail_for(ask.relation, nature="ask", n="2")

    report = dispatch(LATER)

    second.refresh_from_db()
    handed_at = Touchpoint.objects.get(pk=ask.pk).handed_at
    assert (report.deferred, second.status) == (1, Status.PLANNED)
    assert handed_at is not None and second.planned_at == handed_at + timedelta(days=30)
    assert mail.outbox == []


def test_a_person_marks_a_possibly_sent_mail_as_arrived(quiet_channels: None, seeded: None) -> None:
    anna = mail_for("Anna")
    abandoned(anna, handed=True)
    reconcile(LATER)
    anna.refresh_from_db()

    decided = decide_uncertain(anna, Decision.SENT, at=LATER, by="beheerder")

    assert (decided.status, decided.sent_at) == (Status.SENT, anna.handed_at)
    assert decided.error.startswith("Mogelijk verstuurd; als aangekomen gemarkeerd door beheerder")
    assert dispatch(LATER).handled == 0 and mail.outbox == []
    with pytest.raises(TouchpointError, match="al beslist"):
        decide_uncertain(decided, Decision.RESEND, at=LATER, by="beheerder")


def test_a_resent_mail_goes_out_once_with_the_next_attempts_message_id(
    smtp: Inbox, seeded: None
) -> None:
    anna = mail_for("Anna")
    abandoned(anna, handed=True)
    reconcile(LATER)

    decide_uncertain(anna, Decision.RESEND, at=LATER, by="beheerder")
    report = dispatch(LATER)

    anna.refresh_from_db()
    assert (report.sent, anna.status, anna.attempts) == (1, Status.SENT, 2)
    [message] = smtp.messages
    assert message["Message-ID"] == f"<koers.{anna.pk}.2@koers.localhost>"


def test_an_unreachable_mail_server_sends_nothing_and_plans_the_mail_again(
    seeded: None, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    anna, bert = mail_for("Anna"), mail_for("Bert")

    report = dispatch(NOW)

    anna.refresh_from_db()
    bert.refresh_from_db()
    assert (report.waiting, report.handled) == (1, 1)  # the rest waits, unclaimed
    assert (anna.status, anna.planned_at, anna.handed_at) == (
        Status.PLANNED,
        NOW + timedelta(minutes=5),
        None,
    )
    assert anna.error.startswith("mailserver niet bereikbaar:")
    assert (bert.status, bert.claimed_by, bert.attempts) == (Status.PLANNED, "", 0)


def test_a_stop_between_two_mails_gives_the_rest_back(quiet_channels: None, seeded: None) -> None:
    mails = [mail_for(name) for name in ("Anna", "Bert", "Carla")]
    asked = iter([False, False, True])  # SIGTERM arrives while the first mail goes out

    report = dispatch(NOW, should_stop=lambda: next(asked, True))

    assert report.sent == 1 and len(mail.outbox) == 1
    statuses = [Touchpoint.objects.get(pk=t.pk).status for t in mails]
    assert statuses == [Status.SENT, Status.PLANNED, Status.PLANNED]
    assert Touchpoint.objects.exclude(claimed_by="").count() == 0


def test_a_letter_written_before_its_worker_died_is_kept_in_its_batch(
    seeded: None, settings: Any, tmp_path: Path
) -> None:
    settings.KOERS_PRINT_DIR = tmp_path
    letter = Touchpoint.objects.create(
        relation=donor("A1", "Anna"), source="test:brief", occurrence="1", channel="letter",
        nature="thank", content={"body": "Dank u."}, planned_at=NOW,
    )  # fmt: skip
    from koers.channels.paper import PaperSession

    lease = Lease(NOW)
    [claimed] = claim(lease, NOW, 1)
    session = PaperSession("letter", NOW, lease.token)
    claimed.attempts = 1
    assert session.prepare(claimed) is None
    assert hand(lease, claimed)
    session.send(claimed)  # ... and the worker dies here

    report = reconcile(LATER)

    letter.refresh_from_db()
    batch = letter.batch
    assert (report.delivered, report.batches, letter.status) == (1, 1, Status.SENT)
    assert batch is not None and (batch.count, batch.finished_at) == (1, LATER)
    assert (tmp_path / batch.pdf).exists() and (tmp_path / batch.manifest).exists()


def test_a_batch_slower_than_the_claim_timeout_keeps_its_claim(
    quiet_channels: None, seeded: None, settings: Any
) -> None:
    """Ten mails at 0.7 s each take more than twice the (shortened) timeout of three seconds;
    a worker that reconciles after each mail finds nothing abandoned: the claim is renewed
    between mails. (From the second mail on: the first also pays for warming up.)"""
    settings.KOERS_CLAIM_TIMEOUT = 3
    for n in range(10):
        mail_for(f"Donor{n}")
    recorded: list[float] = []
    found = []

    def slow_provider(point: str) -> None:
        if point == "delivered":
            time.sleep(0.7)
        if point == "recorded":
            recorded.append(time.monotonic())
            if len(recorded) > 1:  # the claim's clock, counted from the first mail's record
                elapsed = timedelta(seconds=recorded[-1] - recorded[0])
                found.append(reconcile(NOW + elapsed))

    report = dispatch(NOW, checkpoint=slow_provider)

    assert recorded[-1] - recorded[0] > 2 * settings.KOERS_CLAIM_TIMEOUT
    assert report.sent == 10 and len(mail.outbox) == 10
    assert [r.changed for r in found] == [0] * 9
