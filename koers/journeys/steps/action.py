"""Action: plan one touchpoint per arriving relation through the outbox's planning
(koers.touchpoints.planning), which decides consent, channel and pressure in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.journeys.steps.base import Problems, StepKind
from koers.journeys.steps.timing import after
from koers.journeys.words import Line, event_label, label_of
from koers.touchpoints import planning
from koers.touchpoints.choices import Behaviour, Channel, Nature, Status, content_problems
from koers.touchpoints.models import Touchpoint

# Relations per statement when closing tasks (SQLite allows 32,766 parameters).
TOUCHED_CHUNK = 10_000

if TYPE_CHECKING:
    from koers.journeys.definition import Definition, Step
    from koers.journeys.engine import Advance


def reaches_relation(settings: Mapping[str, Any]) -> bool:
    """Whether the step's touchpoint is a contact with the relation (see
    planning.reaches_relation): only those keep the journey's minimum gap."""
    return planning.reaches_relation(settings["channels"], settings["content"])


class Action(StepKind):
    key = "action"
    label = gettext_lazy("contact")

    def describe(self, step: Step, definition: Definition) -> list[Line]:
        settings = step.settings
        channels = [label_of(Channel, c) for c in settings["channels"]]
        how = _(" of ").join(channels)
        lines = [f"{how} · {label_of(Nature, settings['nature'])}"]
        if len(channels) > 1:
            lines.append(_("naar voorkeur van de relatie"))
        if settings.get("holdout"):
            lines.append(_("%(n)s%% controlegroep") % {"n": settings["holdout"]})
        if settings.get("done_when"):
            event = event_label(settings["done_when"]["event"])
            lines.append(_("vanzelf klaar bij: %(event)s") % {"event": event})
        return [Line(text) for text in lines]

    def parse(self, raw: Mapping[str, Any], where: str, problems: Problems) -> dict[str, Any]:
        channels = raw.get("channels", [raw["channel"]] if "channel" in raw else [])
        if not isinstance(channels, list) or not channels:
            problems.add(
                where, "een actie heeft een 'channel' (of 'channels' om op voorkeur te kiezen)"
            )
            channels = []
        for name in channels:
            if name not in Channel.values:
                problems.add(
                    where, f"onbekend kanaal '{name}'; kies uit {', '.join(Channel.values)}"
                )
        nature = raw.get("nature", "")
        if nature not in Nature.values:
            problems.add(where, f"onbekende aard '{nature}'; kies uit {', '.join(Nature.values)}")
        content = raw.get("content") or {}
        if not isinstance(content, Mapping):
            problems.add(
                f"{where}.content", "de inhoud is een lijst van velden (subject, body, script, ...)"
            )
            content = {}
        self.check_content([str(c) for c in channels], content, where, problems)
        holdout = raw.get("holdout", 0)
        if not isinstance(holdout, int) or isinstance(holdout, bool) or not 0 <= holdout <= 100:
            problems.add(
                f"{where}.holdout", f"een geheel percentage van 0 tot en met 100, niet {holdout!r}"
            )
            holdout = 0
        pressure = raw.get("pressure", Behaviour.DEFER)
        if pressure not in Behaviour.values:
            problems.add(f"{where}.pressure", f"'{pressure}' bestaat niet; kies 'defer' of 'skip'")
        return {
            "channels": channels,
            "nature": nature,
            "content": dict(content),
            "holdout": holdout,
            "pressure": pressure,
            "done_when": self.parse_done_when(raw, channels, where, problems),
        }

    def parse_done_when(
        self, raw: Mapping[str, Any], channels: list[Any], where: str, problems: Problems
    ) -> dict[str, str] | None:
        """`done_when: gift.received` (or `{event: ..., where: ...}`): a task that closes by
        itself when that event comes in for the relation after it entered the journey."""
        from koers.journeys.definition import EVENT_KINDS, check_rule

        value = raw.get("done_when")
        if value is None:
            return None
        found = {"event": str(value), "where": ""}
        if isinstance(value, Mapping):
            found["event"] = str(value.get("event", ""))
            if "where" in value:
                found["where"] = check_rule(value["where"], f"{where}.done_when.where", problems)
        if channels != ["task"]:
            problems.add(f"{where}.done_when", "alleen een taak (channel: task) sluit vanzelf af")
        if found["event"] not in EVENT_KINDS:
            problems.add(
                f"{where}.done_when",
                f"onbekende gebeurtenis '{found['event']}'; kies uit {', '.join(EVENT_KINDS)}",
            )
        return found

    def check_content(
        self, channels: list[str], content: Mapping[str, Any], where: str, problems: Problems
    ) -> None:
        for field, message in content_problems(channels, content):
            problems.add(f"{where}.content" + (f".{field}" if field else ""), message)

    def advance(self, run: Advance, step: Step) -> int:
        arrived = run.arrived(step)
        if not arrived.exists():
            return 0
        with transaction.atomic():
            planned = planning.plan_contacts(self.request(run, step, arrived))
            run.report.planned += planned
            run.report.count(run.journey.key, "planned", planned)
            if planned and run.report.measure_spacing and self.spaced(run, step):
                run.report.count(run.journey.key, "spaced", self.count_spaced(run, step, arrived))
            return run.move(arrived, step.next)

    def close_resolved(self, run: Advance, step: Step) -> int:
        """Close this step's open tasks of relations for whom the awaited event came in since
        the previous tick, dated after they entered the journey (see done_when)."""
        from koers.journeys.engine import ON_EVENT
        from koers.touchpoints.actions import resolve_tasks

        when = step.settings["done_when"]
        events = run.new_events(when["event"]).filter(
            relation=OuterRef("relation_id"), occurred_at__gte=OuterRef("enrollment__entered_at")
        )
        if when["where"]:
            events = events.filter(run.rule(when["where"], ON_EVENT))
        tasks = Touchpoint.objects.filter(
            journey_id=run.journey.pk, step=step.key, enrollment__version=run.version
        )
        relations, closed = run.touched_relations(when["event"]), 0
        for start in range(0, len(relations), TOUCHED_CHUNK):
            chunk = tasks.filter(relation_id__in=relations[start : start + TOUCHED_CHUNK])
            closed += resolve_tasks(chunk.filter(Exists(events)), at=run.now, event=when["event"])
        return closed

    def request(self, run: Advance, step: Step, arrived: QuerySet[Any]) -> planning.ContactRequest:
        """The step's contacts for the outbox: one per arrival, at the moment it arrived."""
        settings = step.settings
        deadline: Any = Value(None, output_field=models.DateTimeField())
        if step.deadline is not None:
            deadline = after(arrived, "entered_at", step.deadline)
        spacing = None
        if run.definition.min_gap:
            among = Q(journey_id=run.journey.pk) & self.contacts(run)
            spacing = planning.Spacing(run.definition.min_gap, among)
        return planning.ContactRequest(
            rows=arrived,
            source=f"journey:{run.journey.key}:{step.key}",
            occurrence=Concat(Cast("id", CharField()), Value("."), Cast("visit", CharField())),
            step=step.key,
            channels=settings["channels"],
            nature=settings["nature"],
            content=settings["content"],
            # The content stays in the journey version: see Touchpoint.fields.
            stored={},
            at=F("step_entered_at"),
            now=run.now,
            holdout=settings["holdout"],
            pressure=settings["pressure"],
            spacing=spacing,
            links={
                "journey_id": Value(run.journey.pk),
                "enrollment_id": F("id"),
                "deadline": deadline,
            },
        )

    def spaced(self, run: Advance, step: Step) -> bool:
        return bool(run.definition.min_gap) and reaches_relation(step.settings)

    def contacts(self, run: Advance) -> Q:
        """The journey's touchpoints that are contacts: every channel but a task, and the
        tasks of steps that reach the relation (see reaches_relation)."""
        tasks = [
            s.key
            for s in run.definition.steps
            if s.kind == "action" and "task" in s.settings["channels"]
            and reaches_relation(s.settings)
        ]  # fmt: skip
        return ~Q(channel=Channel.TASK) | Q(step__in=tasks)

    def count_spaced(self, run: Advance, step: Step, arrived: QuerySet[Any]) -> int:
        """How many of the contacts just planned were moved by the gap: planned later than
        the arrival at the step (before the move on, so the arrival is still known)."""
        moved = Touchpoint.objects.filter(
            enrollment__in=arrived.values("id"),
            step=step.key,
            status=Status.PLANNED,
            planned_at__gt=F("enrollment__step_entered_at"),
        )
        return moved.count()
