"""Measured emotion per journey step: the answers to a step's contacts on the map's scale.

The journey map draws the designed emotion (-2..+2) per step; next to it, this gives the
mean of what relations answered about that step's contacts, mapped onto the same scale
(NPS 0..10 linearly, thumbs up +2 and down -2), with n. Only confirmed answers count.
"""

from __future__ import annotations

from collections import defaultdict

from koers.feedback.choices import InstrumentKind, ResponseStatus
from koers.feedback.models import Response
from koers.feedback.stats import emotion

SCALES = {InstrumentKind.NPS: "nps", InstrumentKind.THUMBS: "thumbs"}


def measured(journey_key: str) -> dict[str, tuple[float | None, int]]:
    """Per step key: (mean on -2..+2, n) of the answers to that step's touchpoints."""
    rows = Response.objects.filter(
        status=ResponseStatus.CONFIRMED,
        score__isnull=False,
        touchpoint__source__startswith=f"journey:{journey_key}:",
        instrument__kind__in=list(SCALES),
    ).values_list("touchpoint__step", "instrument__kind", "score")
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for step, kind, score in rows:
        scores[step][kind].append(float(score or 0))
    found: dict[str, tuple[float | None, int]] = {}
    for step, by_kind in scores.items():
        total, count = 0.0, 0
        for kind, values in by_kind.items():
            mean, n = emotion(values, SCALES[InstrumentKind(kind)])
            if mean is not None:
                total, count = total + mean * n, count + n
        found[step] = (round(total / count, 2) if count else None, count)
    return found
