"""Pages of a long list without counting the whole table on every keystroke.

Django's Paginator runs COUNT(*) over the full result for every page. On a million
relations, with a search typed letter by letter, that count is most of the work. Here a
page fetches one row more than it shows (is there a next page?) and the total is counted
only up to a ceiling: past it the page says "meer dan 10.000", which is all a person
needs to know to narrow the search.

A page number past the end (an old bookmark, a list that shrank, a number typed into the
address) shows the first page with a note that the page asked for does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from django.db.models import QuerySet

COUNT_CEILING = 10_000
# No list has this many pages; past it the offset is not even asked of the database, which
# refuses an offset beyond 2^63 (SQLite with an OverflowError, PostgreSQL with an error).
MAX_PAGE = 1_000_000_000


def page_number(text: str | None) -> int:
    """The page asked for; anything that is not a whole number asks for the first page."""
    cleaned = (text or "").strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        return 1  # "", "x", "-2", "²"
    # A number with more digits than MAX_PAGE is past the last page of any list; not reading
    # it also spares int() a number of thousands of digits.
    return MAX_PAGE + 1 if len(cleaned) > len(str(MAX_PAGE)) else max(1, int(cleaned))


@dataclass(frozen=True)
class Page:
    object_list: list[Any]
    number: int
    size: int
    has_next: bool
    count: int
    count_is_exact: bool
    missing: bool = False  # the page asked for does not exist; this is the first page

    @classmethod
    def of(
        cls,
        queryset: QuerySet[Any],
        number_text: str | None,
        size: int,
        ceiling: int = COUNT_CEILING,
    ) -> Page:
        number = page_number(number_text)
        rows = _rows(queryset, number, size) if number <= MAX_PAGE else []
        missing = number > 1 and not rows
        if missing:
            number, rows = 1, _rows(queryset, 1, size)
        has_next = len(rows) > size
        if number == 1 and not has_next:
            count = len(rows)  # the whole result is on this page: no count needed
        else:
            # COUNT over a LIMIT subquery stops at the ceiling instead of scanning everything.
            count = queryset.select_related(None).order_by()[: ceiling + 1].count()
        exact = count <= ceiling
        return cls(rows[:size], number, size, has_next, min(count, ceiling), exact, missing)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages, when the total is known exactly."""
        return max(1, ceil(self.count / self.size)) if self.count_is_exact else None

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.object_list)


def _rows(queryset: QuerySet[Any], number: int, size: int) -> list[Any]:
    """The rows of one page, and one more to tell whether a next page exists."""
    offset = (number - 1) * size
    return list(queryset[offset : offset + size + 1])
