"""Action: plan one touchpoint per arriving relation, with consent and pressure decided in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import GreaterThanOrEqual

from koers.journeys.sql import Shifted, insert_select
from koers.journeys.steps.base import Problems, StepKind, register
from koers.journeys.steps.split import bucket_sql
from koers.journeys.steps.timing import after
from koers.relations.choices import RelationStatus
from koers.touchpoints.choices import (
    COUNTED,
    EXEMPT_NATURES,
    Behaviour,
    Channel,
    Nature,
    SkipReason,
    Status,
    consent_channel,
    content_problems,
)
from koers.touchpoints.models import Ceiling, Touchpoint
from koers.touchpoints.queries import BASES, address_filter

# Relations per statement when closing tasks (SQLite allows 32,766 parameters).
TOUCHED_CHUNK = 10_000

if TYPE_CHECKING:
    from koers.journeys.definition import Step
    from koers.journeys.engine import Advance

ADDRESS_FOR = {
    "email": ("email",),
    "letter": ("street", "postcode", "city"),
    "card": ("street", "postcode", "city"),
    "phone": ("phone",),
}
# What a ceiling counts at planning time: planned, on its way, made or possibly made.
PENDING = (Status.PLANNED, Status.SENDING, *COUNTED)


def reaches_relation(settings: Mapping[str, Any]) -> bool:
    """Whether the step's touchpoint is a contact with the relation. A task that needs no
    consent (checking a mandate) is staff work about the relation, not a contact: it takes
    no part in the journey's minimum gap between contacts."""
    return any(consent_channel(c, settings["content"]) or c != "task" for c in settings["channels"])


def address_fields(channel: str, content: Mapping[str, Any]) -> tuple[str, ...]:
    if channel == "task":
        return ADDRESS_FOR.get(
            {"post": "letter", "phone": "phone"}.get(str(content.get("consent")), ""), ()
        )
    return ADDRESS_FOR.get(channel, ())


@register
class Action(StepKind):
    key = "action"
    label = "actie"

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
        rows = self.with_consents(arrived, step.settings)
        if step.settings["holdout"]:
            # The holdout is decided on a stable hash of relation and step (see split).
            rows = rows.annotate(bucket=bucket_sql(f"journey:{run.journey.key}:{step.key}"))
        with transaction.atomic():
            planned = insert_select(Touchpoint, self.columns(run, step), rows)
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

    def columns(self, run: Advance, step: Step) -> dict[str, Any]:
        settings = step.settings
        source = f"journey:{run.journey.key}:{step.key}"
        deadline: Any = Value(None, output_field=models.DateTimeField())
        if step.deadline is not None:
            deadline = after(run.arrived(step), "entered_at", step.deadline)
        status, reason = self.decision(step.settings)
        return {
            "relation_id": F("relation_id"),
            "source": Value(source),
            "occurrence": Concat(Cast("id", CharField()), Value("."), Cast("visit", CharField())),
            "journey_id": Value(run.journey.pk),
            "enrollment_id": F("id"),
            "step": Value(step.key),
            "channel": self.channel(settings),
            "nature": Value(settings["nature"]),
            # The content stays in the journey version: see Touchpoint.fields.
            "content": Value({}, output_field=models.JSONField()),
            "role": Value(str(settings["content"].get("role") or "")),
            "pressure": Value(settings["pressure"]),
            "planned_at": self.planned_at(run, step),
            "deadline": deadline,
            "status": status,
            "skip_reason": reason,
            "outcome": Value(""),
            "attempts": Value(0),
            "error": Value(""),
            "created_at": Value(run.now),
        }

    def planned_at(self, run: Advance, step: Step) -> Any:
        """When the contact is planned: on arrival at the step, or, when the journey made
        another contact to the relation less than min_gap before (or after) that, at the end
        of the gap (docs/journeys.md, "Contacts apart")."""
        if not self.spaced(run, step):
            return F("step_entered_at")
        return Coalesce(
            Subquery(self.gap_end(run)), F("step_entered_at"), output_field=models.DateTimeField()
        )

    def spaced(self, run: Advance, step: Step) -> bool:
        return bool(run.definition.min_gap) and reaches_relation(step.settings)

    def gap_end(self, run: Advance) -> QuerySet[Any, Any]:
        """For each arriving row: the end of the gap after the latest contact of the journey
        to the relation that is too close, or nothing. Contacts planned later than the
        arrival count too: an earlier step's contact may have been moved ahead already."""
        gap = run.definition.min_gap
        near = Touchpoint.objects.filter(
            relation=OuterRef("relation_id"),
            journey_id=run.journey.pk,
            status__in=PENDING,
            planned_at__gt=Shifted(OuterRef("step_entered_at"), -gap),
        ).filter(self.contacts(run))
        # The gap is added per row inside: added to the subquery, SQLite would run it twice.
        ends = near.values("relation").annotate(end=Max(Shifted(F("planned_at"), gap)))
        return ends.values("end")[:1]

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

    def with_consents(self, rows: QuerySet[Any], settings: Mapping[str, Any]) -> QuerySet[Any]:
        """Join each consent the step's channels need, once per row (at most one per relation
        and channel): the status, the reason and the channel choice all read it, where a
        subquery would look it up again for each of them."""
        needed = {consent_channel(name, settings["content"]) for name in settings["channels"]}
        joins = {
            f"consent_{name}": FilteredRelation(
                "relation__consents", condition=Q(relation__consents__channel=name)
            )
            for name in sorted(n for n in needed if n)
        }
        return rows.annotate(**joins) if joins else rows

    def reachable(self, channel: str, content: Mapping[str, Any]) -> tuple[Q, Q]:
        """(has a legal basis, has an address) for one channel, as conditions on the enrollment
        with its consents joined (see with_consents)."""
        needed = consent_channel(channel, content)
        # An empty Q() vanishes when OR-ed with another condition: "always" must be explicit.
        always = Q(pk__isnull=False)
        basis = always
        if needed:
            basis = Q(
                **{
                    f"consent_{needed}__withdrawn_at__isnull": True,
                    f"consent_{needed}__basis__in": BASES[needed],
                }
            )
        fields = address_fields(channel, content)
        return basis, address_filter(fields) if fields else always

    def channel(self, settings: Mapping[str, Any]) -> Any:
        channels, content = settings["channels"], settings["content"]
        if len(channels) == 1:
            return Value(channels[0])
        whens = []
        # The cheap column tests come first: SQL stops at the first false one, so the
        # consent lookup is only made for the channel that is still in question.
        for name in channels:  # the relation's preference first, when it can be used
            basis, address = self.reachable(name, content)
            preferred = consent_channel(name, content) or name
            whens.append(
                When(Q(relation__preferred_channel=preferred) & address & basis, then=Value(name))
            )
        for name in channels:
            basis, address = self.reachable(name, content)
            whens.append(When(address & basis, then=Value(name)))
        return Case(*whens, default=Value(channels[0]))

    def decision(self, settings: Mapping[str, Any]) -> tuple[Case, Case]:
        """The status and the skip reason, each one CASE over the same rules.

        Reachable (an address and a legal basis on some channel) is tested once in each;
        only for those who are not is the reason told apart: no consent or no address."""
        any_basis, any_reach = Q(pk__in=[]), Q(pk__in=[])
        for name in settings["channels"]:
            basis, address = self.reachable(name, settings["content"])
            any_basis |= basis
            any_reach |= address & basis
        before = [(~Q(relation__status=RelationStatus.ACTIVE), SkipReason.NOT_ACTIVE)]
        if settings["holdout"]:
            before.append((Q(bucket__lt=settings["holdout"]), SkipReason.HOLDOUT))
        after = []
        if settings["pressure"] == Behaviour.SKIP and settings["nature"] not in EXEMPT_NATURES:
            after = [(over, SkipReason.PRESSURE) for over in self.ceilings(settings)]
        skipped, planned = Value(Status.SKIPPED), Value(Status.PLANNED)
        status = Case(
            *[When(q, then=skipped) for q, _ in before],
            When(~any_reach, then=skipped),
            *[When(q, then=skipped) for q, _ in after],
            default=planned,
        )
        reachable_reason = Case(*[When(q, then=Value(r)) for q, r in after], default=Value(""))
        reason = Case(
            *[When(q, then=Value(r)) for q, r in before],
            When(any_reach, then=reachable_reason),
            When(any_basis, then=Value(SkipReason.NO_ADDRESS)),
            default=Value(SkipReason.NO_CONSENT),
        )
        return status, reason

    def ceilings(self, settings: Mapping[str, Any]) -> list[Q]:
        found = []
        channels = settings["channels"]
        scope = Q(nature=settings["nature"])
        if len(channels) == 1:
            scope |= Q(channel=channels[0])
        for ceiling in Ceiling.objects.filter(scope):
            window = Touchpoint.objects.filter(
                relation=OuterRef("relation_id"),
                status__in=PENDING,
                planned_at__gt=Shifted(
                    OuterRef("step_entered_at"), -timedelta(days=ceiling.period_days)
                ),
                planned_at__lte=OuterRef("step_entered_at"),
            )
            window = (
                window.filter(nature=ceiling.nature)
                if ceiling.nature
                else window.filter(channel=ceiling.channel)
            )
            counted = window.values("relation").annotate(n=Count("pk")).values("n")[:1]
            found.append(Q(GreaterThanOrEqual(Coalesce(Subquery(counted), 0), ceiling.limit)))
        return found
