"""Contact planning: the outbox's one way in for whoever plans contacts with relations.

A journey's action step and a calendar moment (and anything later: a campaign, an API
call) describe who gets what, when, through which channels in a `ContactRequest`;
`plan_contacts` writes one touchpoint per row in one INSERT ... SELECT. Consent and the
choice of channel, the address checks, the holdout, the contact ceilings, a minimum gap
between contacts and the unique key (source, occurrence, relation) are decided here, in
SQL, the same way for every planner (docs/journeys.md, "Toestemming" and "Contactdruk").
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    Count,
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
from django.db.models.functions import Coalesce, Mod
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from koers import locks
from koers.relations.choices import RelationStatus
from koers.sql import Shifted, insert_select
from koers.touchpoints.choices import (
    COUNTED,
    EXEMPT_NATURES,
    Behaviour,
    SkipReason,
    Status,
    address_fields,
    consent_channel,
)
from koers.touchpoints.models import Ceiling, Touchpoint
from koers.touchpoints.queries import BASES, address_filter

# The daily tick, in local time: planned contacts of a day are planned at this hour.
TICK_TIME = time(9, 0)
# What a ceiling counts at planning time: planned, on its way, made or possibly made.
PENDING = (Status.PLANNED, Status.SENDING, *COUNTED)
# The holdout's stable hash of relation and source (Knuth's multiplicative hash).
MULTIPLIER, PRIME = 2654435761, 2147483647


def days(start: date, until: date) -> Iterator[datetime]:
    """The tick's moment on each day from `start` up to and including `until`."""
    zone = timezone.get_current_timezone()
    day = start
    while day <= until:
        yield datetime.combine(day, TICK_TIME, tzinfo=zone)
        day += timedelta(days=1)


def planner_lock() -> Any:
    """One planner per database at a time: another worker's tick skips (koers.locks)."""
    return locks.held_or_skipped(locks.PLANNER)


def salt(source: str) -> int:
    return zlib.crc32(source.encode()) % PRIME


def bucket(relation_id: int, source: str) -> int:
    """0..99, the same for the same relation and source, in Python and in SQL alike."""
    return ((relation_id * MULTIPLIER + salt(source)) % PRIME) % 100


def bucket_sql(source: str, relation: str = "relation_id") -> Mod:
    return Mod(Mod(F(relation) * Value(MULTIPLIER) + Value(salt(source)), Value(PRIME)), Value(100))


def reaches_relation(channels: Sequence[str], content: Mapping[str, Any]) -> bool:
    """Whether a contact on these channels is a contact with the relation. A task that needs
    no consent (checking a mandate) is staff work about the relation, not a contact: it
    takes no part in a minimum gap between contacts."""
    return any(consent_channel(c, content) or c != "task" for c in channels)


@dataclass(frozen=True)
class Spacing:
    """A minimum gap between contacts: a contact planned less than `gap` after (or before)
    one of the touchpoints `among` to the same relation moves to the end of the gap."""

    gap: timedelta
    among: Q


@dataclass(frozen=True)
class ContactRequest:
    """Who gets what, when, through which channels.

    `rows`: a queryset with one row per contact, with `relation_id` and the relation one
    step away as `relation` (an enrollment, a facts row). `channels` in order of
    preference; the relation's own preferred channel wins when it can be used. `at`: when
    each contact is planned, an expression over the row that may read the chosen channel
    as F("chosen"); the ceilings look back from it. `source` and `occurrence` (a string
    or an expression) make the unique key with the relation: planning again is harmless.
    `content` decides the consent and the address a task needs; `stored` is what the
    touchpoint keeps of it (a journey keeps its content in its version). `links`: further
    columns, such as the journey and the enrollment.
    """

    rows: QuerySet[Any]
    source: str
    occurrence: Any
    step: str
    channels: Sequence[str]
    nature: str
    content: Mapping[str, Any]
    at: Any
    now: datetime
    stored: Mapping[str, Any] | None = None
    holdout: int = 0
    pressure: str = Behaviour.DEFER
    spacing: Spacing | None = None
    links: Mapping[str, Any] = field(default_factory=dict)


def plan_contacts(request: ContactRequest) -> int:
    """Plan one touchpoint per row of the request in one statement; how many were new."""
    rows = with_consents(request.rows, request.channels, request.content)
    rows = rows.annotate(chosen=choose_channel(request.channels, request.content))
    moment = request.at
    if not (isinstance(moment, F) and not isinstance(moment, OuterRef)):
        rows = rows.annotate(contact_at=moment)
        moment = F("contact_at")
    if request.holdout:
        # The holdout is decided on a stable hash of relation and source (see bucket).
        rows = rows.annotate(bucket=bucket_sql(request.source))
    return insert_select(Touchpoint, columns(request, moment.name), rows)


def columns(request: ContactRequest, at: str) -> dict[str, Any]:
    """The touchpoint's columns as expressions over a row; `at`: the row's moment."""
    status, reason = decision(request, at)
    stored = request.content if request.stored is None else request.stored
    occurrence = request.occurrence
    return {
        "relation_id": F("relation_id"),
        "source": Value(request.source),
        "occurrence": Value(occurrence) if isinstance(occurrence, str) else occurrence,
        **request.links,
        "step": Value(request.step),
        "channel": F("chosen"),
        "nature": Value(request.nature),
        "content": Value(dict(stored), output_field=models.JSONField()),
        "role": Value(str(request.content.get("role") or "")),
        "pressure": Value(request.pressure),
        "planned_at": planned_at(request, at),
        "status": status,
        "skip_reason": reason,
        "outcome": Value(""),
        "attempts": Value(0),
        "error": Value(""),
        "created_at": Value(request.now),
    }


def planned_at(request: ContactRequest, at: str) -> Any:
    """The row's moment, or, when an earlier contact among `spacing` is closer than the gap
    (before or after it), the end of that gap (docs/journeys.md, "Contacts apart")."""
    spacing = request.spacing
    if spacing is None or not reaches_relation(request.channels, request.content):
        return F(at)
    return Coalesce(Subquery(gap_end(spacing, at)), F(at), output_field=models.DateTimeField())


def gap_end(spacing: Spacing, at: str) -> QuerySet[Any, Any]:
    """For each row: the end of the gap after the latest contact too close to it, or
    nothing. Contacts planned later than the row's moment count too: an earlier contact
    may have been moved ahead already."""
    near = Touchpoint.objects.filter(
        relation=OuterRef("relation_id"),
        status__in=PENDING,
        planned_at__gt=Shifted(OuterRef(at), -spacing.gap),
    ).filter(spacing.among)
    # The gap is added per row inside: added to the subquery, SQLite would run it twice.
    ends = near.values("relation").annotate(end=Max(Shifted(F("planned_at"), spacing.gap)))
    return ends.values("end")[:1]


def with_consents(
    rows: QuerySet[Any], channels: Sequence[str], content: Mapping[str, Any]
) -> QuerySet[Any]:
    """Join each consent the channels need, once per row (at most one per relation and
    channel): the status, the reason and the channel choice all read it, where a subquery
    would look it up again for each of them."""
    needed = {consent_channel(name, content) for name in channels}
    joins = {
        f"consent_{name}": FilteredRelation(
            "relation__consents", condition=Q(relation__consents__channel=name)
        )
        for name in sorted(n for n in needed if n)
    }
    return rows.annotate(**joins) if joins else rows


def reachable(channel: str, content: Mapping[str, Any]) -> tuple[Q, Q]:
    """(has a legal basis, has an address) for one channel, as conditions on a row with its
    consents joined (see with_consents)."""
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


def choose_channel(channels: Sequence[str], content: Mapping[str, Any]) -> Any:
    """The first channel that can be used, the relation's own preference first."""
    if len(channels) == 1:
        return Value(channels[0])
    whens = []
    # The cheap column tests come first: SQL stops at the first false one, so the
    # consent lookup is only made for the channel that is still in question.
    for name in channels:  # the relation's preference first, when it can be used
        basis, address = reachable(name, content)
        preferred = consent_channel(name, content) or name
        whens.append(
            When(Q(relation__preferred_channel=preferred) & address & basis, then=Value(name))
        )
    for name in channels:
        basis, address = reachable(name, content)
        whens.append(When(address & basis, then=Value(name)))
    return Case(*whens, default=Value(channels[0]))


def decision(request: ContactRequest, at: str) -> tuple[Case, Case]:
    """The status and the skip reason, each one CASE over the same rules.

    Reachable (an address and a legal basis on some channel) is tested once in each;
    only for those who are not is the reason told apart: no consent or no address."""
    any_basis, any_reach = Q(pk__in=[]), Q(pk__in=[])
    for name in request.channels:
        basis, address = reachable(name, request.content)
        any_basis |= basis
        any_reach |= address & basis
    before = [(~Q(relation__status=RelationStatus.ACTIVE), SkipReason.NOT_ACTIVE)]
    if request.holdout:
        before.append((Q(bucket__lt=request.holdout), SkipReason.HOLDOUT))
    after = []
    if request.pressure == Behaviour.SKIP and request.nature not in EXEMPT_NATURES:
        after = [(over, SkipReason.PRESSURE) for over in ceilings(request, at)]
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


def ceilings(request: ContactRequest, at: str) -> list[Q]:
    """Per ceiling that applies: the row's relation has reached it in the period up to the
    row's moment `at`."""
    found = []
    scope = Q(nature=request.nature)
    if len(request.channels) == 1:
        scope |= Q(channel=request.channels[0])
    for ceiling in Ceiling.objects.filter(scope):
        window = Touchpoint.objects.filter(
            relation=OuterRef("relation_id"),
            status__in=PENDING,
            planned_at__gt=Shifted(OuterRef(at), -timedelta(days=ceiling.period_days)),
            planned_at__lte=OuterRef(at),
        )
        window = (
            window.filter(nature=ceiling.nature)
            if ceiling.nature
            else window.filter(channel=ceiling.channel)
        )
        counted = window.values("relation").annotate(n=Count("pk")).values("n")[:1]
        found.append(Q(GreaterThanOrEqual(Coalesce(Subquery(counted), 0), ceiling.limit)))
    return found
