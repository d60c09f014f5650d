"""Wait for an event (a call outcome, a survey answer, a gift) with a timeout.

The timeout may be business days ("2 werkdagen"): the close of business on the 2nd business
day after the day of arrival, see steps.timing. With `from: entry` the timeout counts from
the relation's entry into the journey, and an event since then ends the wait: the first
direct-debit collection is awaited that way, so the welcome contacts before it need not
wait for the bank.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.journeys.durations import parse_span
from koers.journeys.steps.base import Problems, StepKind
from koers.journeys.steps.timing import after, from_settings, stored
from koers.journeys.words import Line, event_label, rule_text, span_of
from koers.relations.models import Event

if TYPE_CHECKING:
    from koers.journeys.definition import Definition, Step
    from koers.journeys.engine import Advance

# Where the timeout and the awaited events count from: the arrival at the step, or the entry.
FROM = {"step": "step_entered_at", "entry": "entered_at"}


class WaitForEvent(StepKind):
    key = "wait_for_event"
    label = gettext_lazy("wachten op")

    def describe(self, step: Step, definition: Definition) -> list[Line]:
        settings = step.settings
        lines = [Line(_("wacht op: %(event)s") % {"event": event_label(settings["event"])})]
        if settings.get("where"):
            rule = settings["where"]
            lines.append(Line(_("als %(rule)s") % {"rule": rule_text(rule, definition)}, rule))
        if settings.get("from") == "entry":
            lines.append(Line(_("hoogstens tot %(d)s na instap") % {"d": span_of(settings)}))
        elif settings.get("seconds") or settings.get("business_days"):
            lines.append(Line(_("hoogstens %(d)s") % {"d": span_of(settings)}))
        return lines

    waits = True

    def parse(self, raw: Mapping[str, Any], where: str, problems: Problems) -> dict[str, Any]:
        from koers.journeys.definition import EVENT_KINDS, check_rule

        found: dict[str, Any] = {"event": str(raw.get("event", "")), "where": ""}
        if found["event"] not in EVENT_KINDS:
            problems.add(
                where,
                f"onbekende gebeurtenis '{found['event']}'; kies uit {', '.join(EVENT_KINDS)}",
            )
        if "where" in raw:
            found["where"] = check_rule(raw["where"], f"{where}.where", problems)
        try:
            found.update(stored(parse_span(raw.get("timeout", ""))))
        except ValueError as error:
            problems.add(f"{where}.timeout", str(error))
        found["from"] = str(raw.get("from", "step"))
        if found["from"] not in FROM:
            problems.add(
                f"{where}.from",
                f"'{found['from']}' bestaat niet; kies 'step' (vanaf aankomst bij deze stap) "
                "of 'entry' (vanaf de instap in de klantreis)",
            )
        if not raw.get("on_timeout"):
            problems.add(
                where, "zeg met 'on_timeout' waar relaties heen gaan als de gebeurtenis uitblijft"
            )
        found["on_timeout"] = str(raw.get("on_timeout", ""))
        return found

    def targets(self, step: Step) -> list[str]:
        found = [step.next] if step.next else []
        return [*found, step.settings["on_timeout"]] if step.settings.get("on_timeout") else found

    def advance(self, run: Advance, step: Step) -> int:
        from koers.journeys.engine import ON_EVENT

        timeout = from_settings(step.settings)
        start = FROM[step.settings.get("from", "step")]
        events = Event.objects.filter(
            relation=OuterRef("relation_id"),
            kind=step.settings["event"],
            occurred_at__gte=OuterRef(start),
            occurred_at__lte=run.now,
        )
        if step.settings["where"]:
            events = events.filter(run.rule(step.settings["where"], ON_EVENT))
        now = Value(run.now)
        # Just arrived: the event may already be there. Waiting: only a new event can end it.
        moved = run.move(run.arrived(step).filter(Exists(events)), step.next, at=now)
        run.set_waiting(run.arrived(step), after(run.arrived(step), start, timeout))
        for touched in run.touched(step.settings["event"]):
            waiting = run.on_step(step).filter(touched, waiting=True)
            moved += run.move(waiting.filter(Exists(events)), step.next, at=now)
        return moved + run.move(run.due(step), step.settings["on_timeout"])
