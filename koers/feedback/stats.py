"""NPS, thumbs and emotion figures from plain numbers: no models, no database.

Every figure comes with its n and a 95% interval, because a small charity's NPS per step per
month is mostly noise. Formulas as docs/feedback.md ("The figures") gives them:

- NPS = %promoters - %detractors, in points from -100 to +100; passives count in n.
- The interval is the adjusted Wald interval (Rocks 2016; MeasuringU): add 3 to n and 3/4 to
  promoters and detractors, and centre the interval on the adjusted estimate p' - d'. The
  reported score stays the plain NPS.
- Two independent groups are compared with a z-test on the plain estimates.
- A thumbs rate (share of thumbs up) gets a Wilson score interval.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from django.utils.translation import gettext, gettext_noop

from koers.intervals import Z95
from koers.intervals import wilson as _wilson

DEFAULT_MINIMUM = 30
TOO_FEW_TO_COMPARE = gettext_noop("te weinig antwoorden om te vergelijken")

# Scales of measured feedback and the range each maps linearly onto the journey map's
# emotion scale of -2..+2. Thumbs arrive as 1 (up) and 0 (down).
EMOTION_SCALES: dict[str, tuple[float, float]] = {
    "nps": (0, 10),
    "thumbs": (0, 1),
    "scale5": (1, 5),
}
EMOTION_LOW, EMOTION_HIGH = -2.0, 2.0
PERIODS_PER_YEAR = {"month": 12, "quarter": 4}


@dataclass(frozen=True)
class NpsResult:
    n: int
    promoters: int
    passives: int
    detractors: int
    score: float | None
    low: float | None
    high: float | None
    enough: bool
    minimum: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    """A minus b, in NPS points. Without a usable standard error, z and p_value are None
    and `reason` says why in Dutch."""

    difference: float | None
    low: float | None
    high: float | None
    z: float | None
    p_value: float | None
    significant: bool
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rate:
    """The share of thumbs up, with a Wilson 95% interval; all shares run from 0 to 1."""

    n: int
    up: int
    rate: float | None
    low: float | None
    high: float | None
    enough: bool
    minimum: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Counted(Protocol):
    @property
    def n(self) -> int: ...
    @property
    def minimum(self) -> int: ...
    @property
    def enough(self) -> bool: ...


def band(score: int) -> str:
    """'promoter' (9-10), 'passive' (7-8) or 'detractor' (0-6)."""
    _check_score(score)
    if score >= 9:
        return "promoter"
    return "passive" if score >= 7 else "detractor"


def nps(scores: Iterable[int], minimum: int = DEFAULT_MINIMUM) -> NpsResult:
    counts = Counter(band(score) for score in scores)
    return nps_from_counts(
        counts["promoter"], counts["passive"], counts["detractor"], minimum=minimum
    )


def nps_from_counts(
    promoters: int, passives: int, detractors: int, minimum: int = DEFAULT_MINIMUM
) -> NpsResult:
    counts = {"promoters": promoters, "passives": passives, "detractors": detractors}
    for name, count in counts.items():
        if count < 0:
            raise ValueError(f"Aantal {name} kan niet negatief zijn: {count!r}.")
    n = promoters + passives + detractors
    score: float | None = None
    low: float | None = None
    high: float | None = None
    if n:
        score = 100 * (promoters - detractors) / n
        low, high = _adjusted_wald(promoters, detractors, n)
    return NpsResult(
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        score=score,
        low=low,
        high=high,
        enough=n >= minimum,
        minimum=minimum,
    )


def compare(a: NpsResult, b: NpsResult) -> Comparison:
    """z-test on a.score - b.score for two independent groups (different respondents)."""
    if a.n == 0 or b.n == 0:
        return _incomparable(None)
    difference = _plain_score(a) - _plain_score(b)
    se = math.sqrt(_variance(a) / a.n + _variance(b) / b.n)
    if se == 0:
        return _incomparable(100 * difference)
    z = difference / se
    p_value = math.erfc(abs(z) / math.sqrt(2))  # two-sided, standard normal
    return Comparison(
        difference=100 * difference,
        low=100 * (difference - Z95 * se),
        high=100 * (difference + Z95 * se),
        z=z,
        p_value=p_value,
        significant=p_value < 0.05,
    )


def thumbs(up: int, down: int, minimum: int = DEFAULT_MINIMUM) -> Rate:
    if up < 0 or down < 0:
        raise ValueError(
            f"Aantallen duimen kunnen niet negatief zijn: {up!r} omhoog, {down!r} omlaag."
        )
    n = up + down
    rate: float | None = None
    low: float | None = None
    high: float | None = None
    if n:
        rate = up / n
        low, high = _wilson(up, n)
    return Rate(n=n, up=up, rate=rate, low=low, high=high, enough=n >= minimum, minimum=minimum)


def not_enough_text(result: Counted) -> str | None:
    if result.enough:
        return None
    return gettext("Nog niet genoeg antwoorden: %(n)s van de minimaal %(minimum)s.") % {
        "n": _whole(result.n),
        "minimum": _whole(result.minimum),
    }


def breakdown(
    rows: Iterable[tuple[str, int]], minimum: int = DEFAULT_MINIMUM
) -> dict[str, NpsResult]:
    """NPS per key (a group, step, moment, channel or month), keys in sorted order."""
    scores: defaultdict[str, list[int]] = defaultdict(list)
    for key, score in rows:
        scores[key].append(score)
    return {key: nps(scores[key], minimum=minimum) for key in sorted(scores)}


def trend(
    counts: Iterable[tuple[date, Sequence[int]]],
    period: str = "month",
    minimum: int = DEFAULT_MINIMUM,
) -> list[tuple[str, NpsResult]]:
    """NPS per month ("2026-11") or quarter ("2026-K4") in time order, from (day,
    (promoters, passives, detractors)) counted per period: any day in a period names it, and
    counts of the same period add up. Periods without answers between the first and the
    last appear with n = 0, so a gap stays visible."""

    def figure(found: Sequence[int]) -> NpsResult:
        promoters, passives, detractors = found
        return nps_from_counts(promoters, passives, detractors, minimum=minimum)

    return _per_period(counts, period, figure)


def thumbs_trend(
    counts: Iterable[tuple[date, Sequence[int]]],
    period: str = "month",
    minimum: int = DEFAULT_MINIMUM,
) -> list[tuple[str, Rate]]:
    """The share of thumbs up per month or quarter, as `trend`, from (day, (up, down))."""

    def figure(found: Sequence[int]) -> Rate:
        up, down = found
        return thumbs(up, down, minimum=minimum)

    return _per_period(counts, period, figure)


def emotion(scores: Iterable[float], scale: str) -> tuple[float | None, int]:
    """The mean answer on the journey map's emotion scale (-2..+2, two decimals), and n."""
    if scale not in EMOTION_SCALES:
        raise ValueError(f"Onbekende schaal {scale!r}: kies uit {', '.join(EMOTION_SCALES)}.")
    bottom, top = EMOTION_SCALES[scale]
    mapped = [_to_emotion(value, scale, bottom, top) for value in scores]
    if not mapped:
        return None, 0
    return round(sum(mapped) / len(mapped), 2), len(mapped)


def _check_score(score: object) -> None:
    # bool is an int in Python, but True as an NPS answer is a bug upstream.
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValueError(f"Een NPS-score is een geheel getal van 0 tot en met 10, niet {score!r}.")


def _adjusted_wald(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    adjusted_n = n + 3
    p = (promoters + 0.75) / adjusted_n
    d = (detractors + 0.75) / adjusted_n
    se = math.sqrt((p + d - (p - d) ** 2) / adjusted_n)
    return _clip(100 * (p - d - Z95 * se)), _clip(100 * (p - d + Z95 * se))


def _clip(points: float) -> float:
    return max(-100.0, min(100.0, points))


def _plain_score(result: NpsResult) -> float:
    return (result.promoters - result.detractors) / result.n


def _variance(result: NpsResult) -> float:
    """Per-respondent variance with answers coded +1, 0, -1: p + d - (p - d)^2."""
    p = result.promoters / result.n
    d = result.detractors / result.n
    return p + d - (p - d) ** 2


def _incomparable(difference: float | None) -> Comparison:
    return Comparison(
        difference=difference,
        low=None,
        high=None,
        z=None,
        p_value=None,
        significant=False,
        reason=gettext(TOO_FEW_TO_COMPARE),
    )


def _whole(value: int) -> str:
    return f"{value:,}".replace(",", ".")


Figure = TypeVar("Figure", NpsResult, Rate)


def _per_period(
    rows: Iterable[tuple[date, Sequence[int]]],
    period: str,
    figure: Callable[[Sequence[int]], Figure],
) -> list[tuple[str, Figure]]:
    if period not in PERIODS_PER_YEAR:
        raise ValueError(f"Onbekende periode {period!r}: kies 'month' of 'quarter'.")
    per_period = PERIODS_PER_YEAR[period]
    totals: dict[int, list[int]] = {}
    for day, counts in rows:
        if not any(counts):  # a period without answers does not stretch the range
            continue
        found = totals.setdefault(_period_index(day, per_period), [0] * len(counts))
        for place, count in enumerate(counts):
            found[place] += count
    if not totals:
        return []
    empty = [0] * len(next(iter(totals.values())))
    return [
        (_period_label(index, per_period), figure(totals.get(index, empty)))
        for index in range(min(totals), max(totals) + 1)
    ]


def _period_index(day: date, per_period: int) -> int:
    """Periods counted from year 0, so consecutive periods differ by one."""
    within = (day.month - 1) * per_period // 12
    return day.year * per_period + within


def _period_label(index: int, per_period: int) -> str:
    year, within = divmod(index, per_period)
    return f"{year}-{within + 1:02d}" if per_period == 12 else f"{year}-K{within + 1}"


def _to_emotion(value: float, scale: str, bottom: float, top: float) -> float:
    if not bottom <= value <= top:
        raise ValueError(
            f"Waarde {value!r} valt buiten de schaal {scale} ({bottom:g} tot {top:g})."
        )
    if scale == "thumbs" and value not in (0, 1):
        raise ValueError(f"Een duim is 1 (omhoog) of 0 (omlaag), niet {value!r}.")
    return EMOTION_LOW + (value - bottom) / (top - bottom) * (EMOTION_HIGH - EMOTION_LOW)
