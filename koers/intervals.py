"""Confidence intervals shared by feedback (thumbs) and insights (retention rates).

Pure arithmetic, no models: a share of successes gets a Wilson score interval, which
keeps its coverage at small n and never leaves 0..1 (unlike the plain Wald interval).
"""

from __future__ import annotations

import math

Z95 = 1.96


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of successes / n as shares from 0 to 1 (n > 0)."""
    share = successes / n
    z2 = Z95**2
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = Z95 / denominator * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)
