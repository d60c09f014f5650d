"""Donor retention by the Fundraising Effectiveness Project's definitions: pure arithmetic
over counts that koers.insights.queries reads from the giving summary (docs/insights.md).

Period Y is compared with the period before it (Y-1): two calendar years, or two rolling
windows of 12 months. "Before" is every month before Y-1 (the recapture window is all
history). Each figure carries its definition, its n and, for a rate, a 95 % Wilson interval.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from koers.intervals import wilson

# The counts the query returns, by name (cents are integer euro cents).
COUNT_NAMES = (
    "donors_previous_year",
    "donors",
    "retained",
    "new",
    "recaptured",
    "lapsed",
    "new_previous_year",
    "new_retained",
    "repeat_previous_year",
    "repeat_retained",
    "lapsed_pool",
    "upgraded",
    "downgraded",
    "same",
    "cents_previous_year",
    "cents",
    "retained_cents",
    "new_cents",
    "recaptured_cents",
    "upgraded_cents",
    "downgraded_cents",
    "lapsed_cents",
)

DEFINITIONS = {
    "donors_previous_year": "donateurs die in Y-1 gaven",
    "donors": "donateurs die in Y gaven",
    "retained": "donateurs die in Y-1 en in Y gaven",
    "new": "donateurs wier eerste gift ooit in Y viel",
    "recaptured": "donateurs die voor Y-1 gaven, niet in Y-1, en weer in Y",
    "lapsed": "donateurs die in Y-1 gaven en niet in Y",
    "retention": "behouden ÷ donateurs van Y-1",
    "new_donor_retention": (
        "eerste-keer-donateurs van Y-1 die in Y weer gaven ÷ eerste-keer-donateurs van Y-1"
    ),
    "repeat_donor_retention": (
        "donateurs van Y-1 die ook voor Y-1 gaven en in Y gaven ÷ die donateurs van Y-1"
    ),
    "recapture": (
        "teruggewonnen ÷ donateurs die voor Y-1 gaven maar niet in Y-1"
        " (venster: alle eerdere jaren)"
    ),
    "upgraded": "behouden donateurs die in Y meer gaven dan in Y-1",
    "downgraded": "behouden donateurs die in Y minder gaven dan in Y-1",
    "same": "behouden donateurs die in Y evenveel gaven als in Y-1",
    "amount_retention": (
        "bedrag in Y van behouden donateurs ÷ bedrag in Y-1 van alle donateurs van Y-1"
    ),
    "gains_donors": "nieuw + teruggewonnen",
    "losses_donors": "vervallen",
    "net_donors": "winst - verlies in donateurs",
    "gains_cents": (
        "bedrag van nieuwe en teruggewonnen donateurs in Y + toename bij de hogere gevers"
    ),
    "losses_cents": "bedrag in Y-1 van vervallen donateurs + afname bij de lagere gevers",
    "net_cents": "winst - verlies in bedrag",
}


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | int
    n: int
    definition: str
    kind: str  # "count", "rate" (a share 0..1), "cents"
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _count(name: str, counts: dict[str, int], n: int | None = None) -> Figure:
    value = counts[name]
    return Figure(name, value, value if n is None else n, DEFINITIONS[name], "count")


def _rate(name: str, part: int, whole: int) -> Figure:
    if whole == 0:
        return Figure(name, 0.0, 0, DEFINITIONS[name], "rate")
    low, high = wilson(part, whole)
    return Figure(name, part / whole, whole, DEFINITIONS[name], "rate", low, high)


def _cents(name: str, value: int, n: int) -> Figure:
    return Figure(name, value, n, DEFINITIONS[name], "cents")


def figures(counts: dict[str, int]) -> list[Figure]:
    """Every FEP figure of one period from its counts, in the order the docs give them."""
    c = counts
    retained = c["retained"]
    gains = c["new"] + c["recaptured"]
    gains_cents = c["new_cents"] + c["recaptured_cents"] + c["upgraded_cents"]
    losses_cents = c["lapsed_cents"] + c["downgraded_cents"]
    amount_whole = c["cents_previous_year"]
    amount = Figure(
        "amount_retention",
        c["retained_cents"] / amount_whole if amount_whole else 0.0,
        c["donors_previous_year"],
        DEFINITIONS["amount_retention"],
        "ratio",  # an amount ratio: it can exceed 1 and has no binomial interval
    )
    return [
        _count("donors_previous_year", c),
        _count("donors", c),
        _count("retained", c),
        _count("new", c),
        _count("recaptured", c),
        _count("lapsed", c),
        _rate("retention", retained, c["donors_previous_year"]),
        _rate("new_donor_retention", c["new_retained"], c["new_previous_year"]),
        _rate("repeat_donor_retention", c["repeat_retained"], c["repeat_previous_year"]),
        _rate("recapture", c["recaptured"], c["lapsed_pool"]),
        _count("upgraded", c, retained),
        _count("downgraded", c, retained),
        _count("same", c, retained),
        amount,
        Figure("gains_donors", gains, gains, DEFINITIONS["gains_donors"], "count"),
        Figure("losses_donors", c["lapsed"], c["lapsed"], DEFINITIONS["losses_donors"], "count"),
        Figure("net_donors", gains - c["lapsed"], c["donors"], DEFINITIONS["net_donors"], "count"),
        _cents("gains_cents", gains_cents, gains + c["upgraded"]),
        _cents("losses_cents", losses_cents, c["lapsed"] + c["downgraded"]),
        _cents("net_cents", gains_cents - losses_cents, c["donors"]),
    ]
