"""How a journey map is laid out: steps in bands that fit a screen or a page, and the
emotion line's geometry (the designed emotion and the measured one on one scale).

Plain computations over numbers; no models. A map of 15 steps does not fit 1440 pixels
in one row with readable columns, so it is cut into bands of at most BAND steps of
about equal length, read left to right and then down, like a printed journey map.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# At 1440 pixels seven step columns of about 10.5rem fit beside the lane labels.
BAND = 7
# The scale runs from -2 (very negative) to +2 (very positive); inside the lane it keeps a
# quarter of the height free above, for the lane's name beside it, and a tenth below.
TOP, BOTTOM = 25.0, 90.0


def band_sizes(count: int, most: int = BAND) -> list[int]:
    """Lengths of the bands for `count` steps: as few as possible, as even as possible."""
    if count <= 0:
        return []
    bands = math.ceil(count / most)
    base, extra = divmod(count, bands)
    return [base + 1 if index < extra else base for index in range(bands)]


def cut(items: Sequence[T], most: int = BAND) -> list[list[T]]:
    """The items in bands of `band_sizes` (in order)."""
    bands: list[list[T]] = []
    start = 0
    for size in band_sizes(len(items), most):
        bands.append(list(items[start : start + size]))
        start += size
    return bands


def height(value: float) -> float:
    """Top of a point in % of the lane for a value on the -2..+2 scale."""
    value = max(-2.0, min(2.0, value))
    return round(TOP + (2 - value) / 4 * (BOTTOM - TOP), 2)


@dataclass(frozen=True)
class Point:
    left: float  # % of the lane's width: the middle of the step's column
    top: float  # % of the lane's height
    value: float

    @property
    def level(self) -> int:
        """0..4, for the colour of a dot: rounded to the nearest step of the scale."""
        return round(max(-2.0, min(2.0, self.value))) + 2


def points(values: Sequence[float | None]) -> list[Point]:
    """One point per column that has a value, in the middle of its column."""
    count = len(values)
    return [
        Point(round(100 * (index + 0.5) / count, 2), height(value), value)
        for index, value in enumerate(values)
        if value is not None
    ]


def polyline(found: Sequence[Point]) -> str:
    """The points for an SVG polyline in a viewBox of 0 0 100 100."""
    return " ".join(f"{point.left:g},{point.top:g}" for point in found)


@dataclass
class Band(Generic[T]):
    """A row of the map: its steps and the two emotion lines over them."""

    steps: list[T]
    designed: list[Point]
    measured: list[Point]
    offset: int = 0  # steps in the bands before this one, for numbering

    @property
    def scale(self) -> list[tuple[int, float]]:
        """The scale's levels and their heights, for the grid lines and the ticks."""
        return [(level, height(level)) for level in (2, 1, 0, -1, -2)]

    @property
    def first(self) -> int:
        return self.offset + 1

    @property
    def last(self) -> int:
        return self.offset + len(self.steps)

    @property
    def designed_line(self) -> str:
        return polyline(self.designed)

    @property
    def measured_line(self) -> str:
        return polyline(self.measured)


def bands(
    items: Sequence[T],
    designed: Callable[[T], float | None],
    measured: Callable[[T], float | None],
    most: int = BAND,
) -> list[Band[T]]:
    """The map's bands with the designed and the measured emotion of their steps."""
    found: list[Band[T]] = []
    offset = 0
    for part in cut(items, most):
        lines = (points([designed(i) for i in part]), points([measured(i) for i in part]))
        found.append(Band(part, *lines, offset=offset))
        offset += len(part)
    return found
