"""Pages of a long list: one row more than shown, and a count that stops at a ceiling."""

from __future__ import annotations

import pytest

from koers.relations.models import Relation
from koers.web.paging import MAX_PAGE, Page, page_number


@pytest.fixture
def twelve(db: None) -> None:
    Relation.objects.bulk_create(
        Relation(external_id=f"{n:04d}", last_name=f"Naam{n:02d}") for n in range(12)
    )


def test_a_middle_page_knows_its_neighbours_and_the_total(twelve: None) -> None:
    page = Page.of(Relation.objects.order_by("external_id"), "2", 5)

    assert [r.external_id for r in page.object_list] == ["0005", "0006", "0007", "0008", "0009"]
    assert (page.has_previous, page.has_next, page.count, page.num_pages) == (True, True, 12, 3)
    assert (page.start_index, page.end_index) == (6, 10)


def test_past_the_ceiling_the_total_is_a_lower_bound(twelve: None) -> None:
    page = Page.of(Relation.objects.order_by("external_id"), "1", 5, ceiling=10)

    assert (page.count, page.count_is_exact, page.num_pages) == (10, False, None)


def test_a_single_page_needs_no_count(twelve: None, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        page = Page.of(Relation.objects.order_by("external_id"), "1", 50)

    assert (page.count, page.has_other_pages) == (12, False)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (None, 1),
        ("", 1),
        ("3", 3),
        ("-2", 1),
        ("x", 1),
        ("²", 1),
        ("1000000000", MAX_PAGE),
        ("99999999999999999999", MAX_PAGE + 1),
        ("9" * 5000, MAX_PAGE + 1),
    ],
)
def test_a_page_number_is_read_forgivingly(text: str | None, number: int) -> None:
    assert page_number(text) == number


@pytest.mark.parametrize("number", ["4", "1000000000", "99999999999999999999"])
def test_a_page_past_the_end_is_the_first_page_marked_missing(
    twelve: None, django_assert_max_num_queries: object, number: str
) -> None:
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        page = Page.of(Relation.objects.order_by("external_id"), number, 5)

    assert (page.number, page.missing, page.count, page.has_next) == (1, True, 12, True)
    assert [r.external_id for r in page.object_list] == ["0000", "0001", "0002", "0003", "0004"]


def test_the_last_page_is_not_missing(twelve: None) -> None:
    page = Page.of(Relation.objects.order_by("external_id"), "3", 5)

    assert (page.number, page.missing, len(page.object_list)) == (3, False, 2)
