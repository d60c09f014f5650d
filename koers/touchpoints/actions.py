"""Writes on touchpoints by people: call outcomes, tasks, unsubscribes, and the decision on a
touchpoint that was possibly sent. Each that concerns the relation writes its event."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from koers.relations.actions import record_event, withdraw_consent
from koers.relations.choices import ContactChannel, EventKind, EventSource
from koers.relations.models import Event
from koers.touchpoints.choices import CallOutcome, Decision, SkipReason, Status, TaskOutcome
from koers.touchpoints.models import Touchpoint

# Unanswered calls stay on the list for another try, up to this many attempts in all.
CALL_ATTEMPTS = 3


class TouchpointError(ValueError):
    """A request that does not fit the touchpoint's state, in words for the person asking."""


def _event_data(touchpoint: Touchpoint, **more: str) -> dict[str, object]:
    return {
        "touchpoint": touchpoint.pk,
        "source": touchpoint.source,
        "step": touchpoint.step,
        "channel": touchpoint.channel,
        **more,
    }


@transaction.atomic
def record_call_outcome(
    touchpoint: Touchpoint, outcome: CallOutcome, *, at: datetime, by: str = "", note: str = ""
) -> Touchpoint:
    """A caller's result. No answer or voicemail keeps the call on the list for another try."""
    touchpoint = Touchpoint.objects.select_for_update().get(pk=touchpoint.pk)
    if touchpoint.channel != "phone" or touchpoint.status != Status.OPEN:
        raise TouchpointError("Dit gesprek staat niet (meer) open op de bellijst.")
    touchpoint.attempts += 1
    retry = outcome in (CallOutcome.NO_ANSWER, CallOutcome.VOICEMAIL)
    if not retry or touchpoint.attempts >= CALL_ATTEMPTS:
        touchpoint.status, touchpoint.done_at = Status.DONE, at
    touchpoint.outcome = outcome
    touchpoint.save(update_fields=["attempts", "status", "done_at", "outcome"])
    data = _event_data(touchpoint, outcome=str(outcome), by=by, note=note)
    record_event(touchpoint.relation_id, EventKind.CALL_OUTCOME, at, EventSource.WEB, data)
    if outcome == CallOutcome.DO_NOT_CALL:
        withdraw_consent(
            touchpoint.relation,
            ContactChannel.PHONE,
            at=at,
            source=EventSource.WEB,
            reason="niet meer bellen (bellijst)",
        )
    return touchpoint


@transaction.atomic
def complete_task(touchpoint: Touchpoint, *, done: bool, at: datetime, by: str = "") -> Touchpoint:
    """Staff mark a task done or not done; either way it leaves the task list."""
    touchpoint = Touchpoint.objects.select_for_update().get(pk=touchpoint.pk)
    if touchpoint.channel != "task" or touchpoint.status != Status.OPEN:
        raise TouchpointError("Deze taak staat niet (meer) open.")
    if done:
        touchpoint.status, touchpoint.done_at = Status.DONE, at
        touchpoint.outcome = TaskOutcome.DONE
    else:
        touchpoint.status, touchpoint.skip_reason = Status.SKIPPED, SkipReason.NOT_DONE
        touchpoint.outcome = TaskOutcome.NOT_DONE
    touchpoint.save(update_fields=["status", "done_at", "outcome", "skip_reason"])
    data = _event_data(touchpoint, outcome=touchpoint.outcome, by=by)
    record_event(touchpoint.relation_id, EventKind.TASK_DONE, at, EventSource.WEB, data)
    return touchpoint


def resolve_tasks(rows: QuerySet[Touchpoint], *, at: datetime, event: str) -> int:
    """Close these open tasks by themselves: the `event` they were about came in after all.

    Set-based: the ids are fetched first (closing tasks are few), then one update and one
    insert of their task.done events, in one transaction. Returns how many were closed."""
    with transaction.atomic():
        ids = list(
            rows.filter(channel="task", status__in=(Status.PLANNED, Status.OPEN)).values_list(
                "id", flat=True
            )
        )
        closing = Touchpoint.objects.filter(id__in=ids)
        events = [
            Event(
                relation_id=relation,
                kind=EventKind.TASK_DONE,
                occurred_at=at,
                source=EventSource.ENGINE,
                data={
                    "touchpoint": pk,
                    "source": source,
                    "step": step,
                    "channel": "task",
                    "outcome": str(TaskOutcome.RESOLVED),
                    "by": "",
                    "event": event,
                },
            )
            for pk, relation, source, step in closing.values_list(
                "id", "relation_id", "source", "step"
            )
        ]
        closing.update(status=Status.DONE, done_at=at, outcome=TaskOutcome.RESOLVED)
        Event.objects.bulk_create(events, batch_size=1000)
    return len(ids)


def unsubscribe(touchpoint: Touchpoint, *, at: datetime) -> bool:
    """The unsubscribe link in an e-mail: withdraw e-mail consent. False if already withdrawn."""
    return withdraw_consent(
        touchpoint.relation,
        ContactChannel.EMAIL,
        at=at,
        source=EventSource.WEB,
        reason=f"afmeldlink in e-mail ({touchpoint.source})",
    )


@transaction.atomic
def decide_uncertain(
    touchpoint: Touchpoint, decision: Decision, *, at: datetime, by: str = ""
) -> Touchpoint:
    """A person's answer to "did it arrive?" for a possibly sent touchpoint.

    Arrived: it is recorded as sent, at the moment it was handed over. Not arrived: it is
    planned again at once; the next attempt has a new Message-ID (the attempt is in it),
    and a webhook the same Idempotency-Key. Either way the decision and who made it are
    kept in the touchpoint's note."""
    touchpoint = Touchpoint.objects.select_for_update().get(pk=touchpoint.pk)
    if touchpoint.status != Status.UNCERTAIN:
        raise TouchpointError("Over dit contactmoment is al beslist: het is niet meer onzeker.")
    who = f" door {by}" if by else ""
    when = timezone.localtime(at).strftime("%d-%m-%Y %H:%M")
    if decision == Decision.SENT:
        touchpoint.status, touchpoint.sent_at = Status.SENT, touchpoint.handed_at or at
        note = f"als aangekomen gemarkeerd{who} op {when}"
    else:
        touchpoint.status, touchpoint.planned_at = Status.PLANNED, at
        touchpoint.handed_at, touchpoint.batch = None, None
        note = f"opnieuw te versturen{who} op {when}"
    touchpoint.claimed_at, touchpoint.claimed_by = None, ""
    touchpoint.outcome = decision
    touchpoint.error = f"Mogelijk verstuurd; {note}." + (
        f" ({touchpoint.error})" if touchpoint.error else ""
    )
    touchpoint.save(
        update_fields=[
            "status", "sent_at", "planned_at", "handed_at", "batch", "claimed_at", "claimed_by",
            "outcome", "error",
        ]
    )  # fmt: skip
    return touchpoint
