"""Reads of confirmed answers for the statistics: per instrument, broken down as asked.

Only confirmed answers count (a click alone may be a mail scanner's). Each instrument is
reported on its own: relational and transactional answers are never pooled.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter
from django.db.models.functions.datetime import TruncBase
from django.utils import timezone

from koers.feedback.choices import InstrumentKind, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.feedback.stats import NpsResult, Rate, nps_from_counts, thumbs, thumbs_trend, trend

# Offered to the other apps with the queries: how an answer counts (band, experience scale).
from koers.feedback.stats import band as band
from koers.feedback.stats import emotion as emotion
from koers.groups.models import Group
from koers.groups.queries import compile_rule
from koers.relations.models import Relation
from koers.touchpoints.sources import name_sources

BY = ("group", "step", "moment", "channel", "month")


def confirmed(instrument: Instrument) -> QuerySet[Response]:
    """Confirmed answers with a score: a mini-survey's, which has none, is not counted here."""
    return Response.objects.filter(
        instrument=instrument, status=ResponseStatus.CONFIRMED, score__isnull=False
    )


def _counts(score: str = "score") -> dict[str, Count]:
    """Promoters, passives and detractors, counted by the database."""
    return {
        "promoters": Count("pk", filter=Q(**{f"{score}__gte": 9})),
        "passives": Count("pk", filter=Q(**{f"{score}__gte": 7, f"{score}__lte": 8})),
        "detractors": Count("pk", filter=Q(**{f"{score}__lte": 6})),
    }


# Thumbs up is 1; anything else is down.
THUMB_COUNTS = {"up": Count("pk", filter=Q(score=1)), "down": Count("pk", filter=~Q(score=1))}


TRUNCATE: dict[str, type[TruncBase]] = {"month": TruncMonth, "quarter": TruncQuarter}


def _start(period: str) -> TruncBase:
    """The start of the answer's month or quarter on the site's clock (Europe/Amsterdam):
    an answer at 23:30 UTC on 31 October was given on 1 November."""
    return TRUNCATE[period]("answered_at", tzinfo=timezone.get_current_timezone())


def overall(instrument: Instrument) -> NpsResult | Rate:
    rows = confirmed(instrument)
    if instrument.kind == InstrumentKind.THUMBS:
        found = rows.aggregate(**THUMB_COUNTS)
        return thumbs(found["up"], found["down"], instrument.minimum_n)
    counts = rows.aggregate(**_counts())
    return nps_from_counts(**counts, minimum=instrument.minimum_n)


def _source_key(source: str, step: str, by: str) -> str:
    """'welkom-structureel: bedankmail' for a journey step, 'voorbeeld: kerst' for a moment."""
    parts = source.split(":")
    if by == "step":
        return f"{parts[1]}: {step}" if len(parts) > 1 else source
    return f"{parts[1]}: {parts[2]}" if len(parts) > 2 else source


def breakdown_names(by: str, keys: Iterable[str]) -> dict[str, str]:
    """A step's or moment's breakdown key ('welkom-structureel: bedankmail') as people name
    it: the journey and the step's label, or the calendar and the moment's name."""
    if by not in ("step", "moment"):
        return {}
    prefix = "journey" if by == "step" else "calendar"
    codes = {key: f"{prefix}:{key.replace(': ', ':', 1)}" for key in keys}
    names = name_sources(codes.values())
    return {key: str(names[code]) for key, code in codes.items()}


def nps_breakdown(instrument: Instrument, by: str) -> dict[str, NpsResult]:
    """NPS per key, counted by the database: a million answers are a few rows here."""
    return {
        key: nps_from_counts(promoters, passives, detractors, minimum=instrument.minimum_n)
        for key, (promoters, passives, detractors) in _totals(instrument, by, _counts()).items()
    }


def _totals(instrument: Instrument, by: str, counts: dict[str, Count]) -> dict[str, list[int]]:
    """The `counts` per key (in their order), keys sorted; a key nobody answered in is left
    out (a group can have no answers)."""
    totals: dict[str, list[int]] = {}
    for key, row in _grouped(confirmed(instrument), by, counts):
        found = totals.setdefault(key, [0] * len(counts))
        for index, name in enumerate(counts):
            found[index] += row[name]
    return {key: found for key, found in sorted(totals.items()) if sum(found)}


def _grouped(
    rows: QuerySet[Response], by: str, counts: dict[str, Count]
) -> Iterator[tuple[str, dict[str, int]]]:
    if by == "group":
        for group in Group.objects.order_by("name"):
            members = Relation.objects.filter(compile_rule(group.rule)).values("pk")
            yield group.name, rows.filter(relation__in=members).aggregate(**counts)
        return
    if by == "month":
        months = rows.annotate(month=_start("month")).values("month")
        for row in months.annotate(**counts).order_by():
            yield f"{row['month']:%Y-%m}", row
        return
    if by == "channel":
        for row in rows.values("channel").annotate(**counts).order_by():
            yield row["channel"] or "onbekend", row
        return
    prefix = "journey:" if by == "step" else "calendar:"
    sources = rows.filter(touchpoint__source__startswith=prefix)
    for row in (
        sources.values("touchpoint__source", "touchpoint__step").annotate(**counts).order_by()
    ):
        yield _source_key(row["touchpoint__source"], row["touchpoint__step"], by), row


def period_counts(instrument: Instrument, period: str) -> list[tuple[date, tuple[int, ...]]]:
    """Per month or quarter with answers, in time order and named by its first day: the
    promoters, passives and detractors, or for thumbs the ups and downs."""
    counts = THUMB_COUNTS if instrument.kind == InstrumentKind.THUMBS else _counts()
    rows = confirmed(instrument).annotate(start=_start(period)).values("start")
    # Sorted here, not by the database: ORDER BY made PostgreSQL sort every answer to group
    # them (1.3 s over a million) instead of hashing them into a few dozen periods.
    found = [
        (row["start"].date(), tuple(row[name] for name in counts))
        for row in rows.annotate(**counts).order_by()
    ]
    return sorted(found)


def results_trend(instrument: Instrument, period: str) -> list[tuple[str, NpsResult | Rate]]:
    """The trend as the instrument measures: NPS per period, or for thumbs the share up."""
    counts = period_counts(instrument, period)
    if instrument.kind == InstrumentKind.THUMBS:
        return list(thumbs_trend(counts, period, instrument.minimum_n))
    return list(trend(counts, period, instrument.minimum_n))


# Reads for the results pages and their Excel download.

# The scores a comment filter means: NPS bands, and a thumb up (1) or down (0).
SCORE_RANGES = {
    "promoter": (9, 10),
    "passive": (7, 8),
    "detractor": (0, 6),
    "up": (1, 1),
    "down": (0, 0),
}


def confirmed_count(instrument: Instrument) -> int:
    """Every confirmed answer, also a mini-survey's, which has no score."""
    return Response.objects.filter(instrument=instrument, status=ResponseStatus.CONFIRMED).count()


def provisional_count(instrument: Instrument) -> int:
    """Clicks in an e-mail not (yet) confirmed on the page: shown, never counted."""
    return Response.objects.filter(instrument=instrument, status=ResponseStatus.PROVISIONAL).count()


def results_by(instrument: Instrument, by: str) -> dict[str, NpsResult | Rate]:
    """A breakdown as the instrument measures: NPS per key, or for thumbs the share up."""
    if instrument.kind != InstrumentKind.THUMBS:
        return dict(nps_breakdown(instrument, by))
    return {
        key: thumbs(up, down, instrument.minimum_n)
        for key, (up, down) in _totals(instrument, by, THUMB_COUNTS).items()
    }


def comments(
    instrument: Instrument,
    *,
    scores: str = "",
    channel: str | None = None,
    start: date | None = None,
    end: date | None = None,
    text: str = "",
) -> QuerySet[Response]:
    """Confirmed answers with a comment, newest first. `scores` is a key of SCORE_RANGES,
    `channel` "" means unknown, and the days are local days, both included."""
    found = Response.objects.filter(instrument=instrument, status=ResponseStatus.CONFIRMED).exclude(
        comment=""
    )
    if scores:
        low, high = SCORE_RANGES[scores]
        found = found.filter(score__gte=low, score__lte=high)
    if channel is not None:
        found = found.filter(channel=channel)
    if start is not None:
        found = found.filter(answered_at__date__gte=start)
    if end is not None:
        found = found.filter(answered_at__date__lte=end)
    if text:
        found = found.filter(comment__icontains=text)
    return found.select_related("relation").order_by("-answered_at", "-id")


def comment_channels(instrument: Instrument) -> list[str]:
    """The channels the confirmed comments came in by ("" for unknown), sorted."""
    found = comments(instrument).order_by().values_list("channel", flat=True).distinct()
    return sorted(set(found))
