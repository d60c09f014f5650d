"""Reads of confirmed answers for the statistics: per instrument, broken down as asked.

Only confirmed answers count (a click alone may be a mail scanner's). Each instrument is
reported on its own: relational and transactional answers are never pooled.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from koers.feedback.choices import InstrumentKind, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.feedback.stats import NpsResult, Rate, breakdown, nps, thumbs
from koers.groups.models import Group
from koers.groups.queries import compile_rule
from koers.relations.models import Relation

BY = ("group", "step", "moment", "channel", "month")


def confirmed(instrument: Instrument) -> QuerySet[Response]:
    """Confirmed answers with a score (`score or 0` below never meets a missing one)."""
    return Response.objects.filter(
        instrument=instrument, status=ResponseStatus.CONFIRMED, score__isnull=False
    )


def overall(instrument: Instrument) -> NpsResult | Rate:
    scores = list(confirmed(instrument).values_list("score", flat=True))
    if instrument.kind == InstrumentKind.THUMBS:
        up = sum(1 for s in scores if s == 1)
        return thumbs(up, len(scores) - up, instrument.minimum_n)
    return nps((s for s in scores if s is not None), instrument.minimum_n)


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
    return breakdown(keyed(instrument, by), instrument.minimum_n)


def answered_days(instrument: Instrument) -> Iterator[tuple[date, int]]:
    for at, score in confirmed(instrument).values_list("answered_at", "score"):
        yield timezone.localtime(at).date(), score or 0
