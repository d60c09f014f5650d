"""Reads of confirmed answers for the statistics: per instrument, broken down as asked.

Only confirmed answers count (a click alone may be a mail scanner's). Each instrument is
reported on its own: relational and transactional answers are never pooled.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from koers.feedback.choices import InstrumentKind, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.feedback.stats import NpsResult, Rate, nps_from_counts, thumbs
from koers.groups.models import Group
from koers.groups.queries import compile_rule
from koers.relations.models import Relation

BY = ("group", "step", "moment", "channel", "month")


def confirmed(instrument: Instrument) -> QuerySet[Response]:
    """Confirmed answers with a score (`score or 0` below never meets a missing one)."""
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


def overall(instrument: Instrument) -> NpsResult | Rate:
    rows = confirmed(instrument)
    if instrument.kind == InstrumentKind.THUMBS:
        found = rows.aggregate(up=Count("pk", filter=Q(score=1)), n=Count("pk"))
        return thumbs(found["up"], found["n"] - found["up"], instrument.minimum_n)
    counts = rows.aggregate(**_counts())
    return nps_from_counts(**counts, minimum=instrument.minimum_n)


def keyed(instrument: Instrument, by: str) -> Iterator[tuple[str, int]]:
    """(key, score) pairs for a breakdown of an NPS instrument."""
    rows = confirmed(instrument)
    if by == "group":
        for group in Group.objects.order_by("name"):
            members = Relation.objects.filter(compile_rule(group.rule)).values("pk")
            for score in rows.filter(relation__in=members).values_list("score", flat=True):
                yield group.name, score or 0
        return
    if by == "month":
        for at, score in rows.values_list("answered_at", "score"):
            yield f"{timezone.localtime(at):%Y-%m}", score or 0
        return
    if by == "channel":
        for channel, score in rows.values_list("channel", "score"):
            yield channel or "onbekend", score or 0
        return
    prefix = "journey:" if by == "step" else "calendar:"
    for source, step, score in rows.filter(touchpoint__source__startswith=prefix).values_list(
        "touchpoint__source", "touchpoint__step", "score"
    ):
        yield _source_key(source, step, by), score or 0


def _source_key(source: str, step: str, by: str) -> str:
    """'welkom-structureel: bedankmail' for a journey step, 'voorbeeld: kerst' for a moment."""
    parts = source.split(":")
    if by == "step":
        return f"{parts[1]}: {step}" if len(parts) > 1 else source
    return f"{parts[1]}: {parts[2]}" if len(parts) > 2 else source


def nps_breakdown(instrument: Instrument, by: str) -> dict[str, NpsResult]:
    """NPS per key, counted by the database: a million answers are a few rows here."""
    rows, minimum = confirmed(instrument), instrument.minimum_n
    totals: dict[str, list[int]] = {}
    for key, counts in _grouped(rows, by):
        found = totals.setdefault(key, [0, 0, 0])
        for index, name in enumerate(("promoters", "passives", "detractors")):
            found[index] += counts[name]
    return {
        key: nps_from_counts(promoters, passives, detractors, minimum=minimum)
        for key, (promoters, passives, detractors) in sorted(totals.items())
        if promoters + passives + detractors  # a group nobody in answered has no row
    }


def _grouped(rows: QuerySet[Response], by: str) -> Iterator[tuple[str, dict[str, int]]]:
    if by == "group":
        for group in Group.objects.order_by("name"):
            members = Relation.objects.filter(compile_rule(group.rule)).values("pk")
            yield group.name, rows.filter(relation__in=members).aggregate(**_counts())
        return
    if by == "month":
        zone = timezone.get_current_timezone()
        months = rows.annotate(month=TruncMonth("answered_at", tzinfo=zone)).values("month")
        for row in months.annotate(**_counts()).order_by():
            yield f"{row['month']:%Y-%m}", row
        return
    if by == "channel":
        for row in rows.values("channel").annotate(**_counts()).order_by():
            yield row["channel"] or "onbekend", row
        return
    prefix = "journey:" if by == "step" else "calendar:"
    sources = rows.filter(touchpoint__source__startswith=prefix)
    for row in (
        sources.values("touchpoint__source", "touchpoint__step").annotate(**_counts()).order_by()
    ):
        yield _source_key(row["touchpoint__source"], row["touchpoint__step"], by), row


def answered_days(instrument: Instrument) -> Iterator[tuple[date, int]]:
    for at, score in confirmed(instrument).values_list("answered_at", "score"):
        yield timezone.localtime(at).date(), score or 0


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
    counts: dict[str, list[int]] = {}
    for key, score in keyed(instrument, by):
        counts.setdefault(key, [0, 0])[0 if score == 1 else 1] += 1
    return {
        key: thumbs(up, down, instrument.minimum_n) for key, (up, down) in sorted(counts.items())
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
