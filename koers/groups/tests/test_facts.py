from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from koers.giving.models import Gift, Mandate
from koers.groups.facts import refresh_facts
from koers.groups.models import Facts
from koers.relations.models import Relation

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _relation(number: str) -> Relation:
    return Relation.objects.create(external_id=number, last_name=number)


def _gift(relation: Relation, on: date, euros: int) -> None:
    Gift.objects.create(relation=relation, received_on=on, amount_cents=euros * 100)


@pytest.fixture
def base(db: None) -> dict[str, Relation]:
    anna, bram, cor, dirk, eva, fien = (_relation(n) for n in "ABCDEF")
    _gift(anna, date(2019, 11, 24), 50)  # 6 completed years by 23-11-2026
    _gift(anna, date(2025, 11, 24), 20)  # the day after the 12-month boundary: inside
    _gift(anna, date(2025, 11, 23), 30)  # on the boundary: outside the last 12 months
    _gift(bram, date(2026, 6, 1), 1500)
    _gift(cor, date(2024, 1, 1), 10)
    _gift(dirk, date(2026, 11, 1), 5)
    _gift(eva, date(2023, 3, 3), 25)
    Mandate.objects.create(
        reference="M-1",
        relation=cor,
        amount_cents=1000,
        frequency="monthly",
        start_date=date(2024, 1, 1),
        status="active",
    )
    Mandate.objects.create(
        reference="M-2",
        relation=eva,
        amount_cents=5000,
        frequency="quarterly",
        start_date=date(2023, 1, 1),
        status="cancelled",
    )
    return {"anna": anna, "bram": bram, "cor": cor, "dirk": dirk, "eva": eva, "fien": fien}


def _facts(relation: Relation) -> Facts:
    return Facts.objects.select_related("level").get(relation=relation)


def test_every_relation_gets_a_facts_row_even_without_gifts(base: dict[str, Relation]) -> None:
    assert refresh_facts(NOW) == 6

    fien = _facts(base["fien"])
    assert (fien.gifts_count, fien.annual_support_cents, fien.recency_score) == (0, 0, None)
    assert fien.level is not None and fien.level.key == "brons"


def test_twelve_month_window_excludes_the_boundary_day(base: dict[str, Relation]) -> None:
    refresh_facts(NOW)

    anna = _facts(base["anna"])
    assert (anna.first_gift_on, anna.last_gift_on) == (date(2019, 11, 24), date(2025, 11, 24))
    assert (anna.gifts_count, anna.gifts_cents) == (3, 10000)
    assert (anna.gifts_12m_count, anna.gifts_12m_cents) == (1, 2000)
    assert anna.largest_gift_cents == 5000
    assert anna.tenure_years == 6


def test_tenure_counts_only_completed_years(base: dict[str, Relation]) -> None:
    refresh_facts(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    assert _facts(base["eva"]).tenure_years == 3
    refresh_facts(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert _facts(base["eva"]).tenure_years == 2


def test_active_mandate_is_annualised_into_support(base: dict[str, Relation]) -> None:
    refresh_facts(NOW)

    cor, eva = _facts(base["cor"]), _facts(base["eva"])
    assert (cor.mandate_annual_cents, cor.annual_support_cents) == (12000, 12000)
    assert cor.level is not None and cor.level.key == "zilver"
    assert (eva.mandate_id, eva.mandate_annual_cents) == (None, 0)


def test_level_is_the_highest_rung_reached(base: dict[str, Relation]) -> None:
    refresh_facts(NOW)

    bram = _facts(base["bram"])
    assert bram.annual_support_cents == 150000
    assert bram.level is not None and bram.level.key == "platina"


def test_rfm_quintiles_rank_givers_only(base: dict[str, Relation]) -> None:
    refresh_facts(NOW)

    scores = {
        f.relation.external_id: (f.recency_score, f.frequency_score, f.monetary_score)
        for f in Facts.objects.select_related("relation")
    }
    # Five givers with different dates and totals, so each of those quintiles holds one;
    # B, C, D and E each gave once: equal counts, the same (lowest) frequency score.
    assert scores == {
        "A": (3, 5, 4),
        "B": (4, 1, 5),
        "C": (2, 1, 2),
        "D": (5, 1, 1),
        "E": (1, 1, 3),
        "F": (None, None, None),
    }


def test_two_identical_donors_get_the_same_scores(db: None) -> None:
    donors = [_relation(number) for number in ("D1", "D2", "D3", "D4", "D5", "D6")]
    for donor in donors[:2]:  # D1 and D2: the same gift on the same day
        _gift(donor, date(2026, 5, 1), 10)
    for months, donor in enumerate(donors[2:], start=1):
        _gift(donor, date(2026, 5 + months, 1), 10 * (months + 1))

    refresh_facts(NOW)

    scores = {
        f.relation.external_id: (f.recency_score, f.frequency_score, f.monetary_score)
        for f in Facts.objects.select_related("relation")
    }
    assert scores["D1"] == scores["D2"] == (1, 1, 1)
    assert scores["D6"] == (5, 1, 5)


def test_refreshing_twice_gives_the_same_result(base: dict[str, Relation]) -> None:
    refresh_facts(NOW)
    first = list(Facts.objects.order_by("relation_id").values())
    refresh_facts(NOW)

    assert list(Facts.objects.order_by("relation_id").values()) == first


def _collections(relation: Relation, mandate: Mandate | None, euros: int, months: int) -> None:
    """A collection on the 25th of each of the last `months` months (October 2026 back), of
    the recurring kind."""
    for back in range(months):
        index = 2026 * 12 + 9 - back
        on = date(index // 12, index % 12 + 1, 25)
        Gift.objects.create(
            relation=relation, received_on=on, amount_cents=euros * 100,
            kind="recurring", mandate=mandate,
        )  # fmt: skip


def _mandate(relation: Relation, euros: int, status: str = "active") -> Mandate:
    return Mandate.objects.create(
        reference=f"M-{relation.external_id}", relation=relation, amount_cents=euros * 100,
        frequency="monthly", start_date=date(2024, 1, 1), status=status,
    )  # fmt: skip


def test_collections_through_the_active_mandate_are_not_counted_twice(db: None) -> None:
    # Given a donor of € 25 a month whose twelve collections of the last year were booked
    gerda = _relation("G")
    _collections(gerda, _mandate(gerda, 25), 25, 12)

    refresh_facts(NOW)

    # Then the support is the mandate per year (€ 300, Zilver), not € 600 (Goud)
    facts = _facts(gerda)
    assert (facts.gifts_12m_count, facts.gifts_12m_cents) == (12, 30000)
    assert (facts.mandate_annual_cents, facts.annual_support_cents) == (30000, 30000)
    assert facts.level is not None and facts.level.key == "zilver"


def test_recurring_gifts_without_a_link_count_as_collections_while_a_mandate_is_active(
    db: None,
) -> None:
    # Given a CRM that books the collections as recurring gifts without the mandate's
    # reference, and a one-off gift of € 50 next to them
    hans = _relation("H")
    _mandate(hans, 10)
    _collections(hans, None, 10, 12)
    _gift(hans, date(2026, 6, 1), 50)

    refresh_facts(NOW)

    # Then the one-off gift counts on top of the mandate, the collections do not
    assert _facts(hans).annual_support_cents == 12000 + 5000


def test_without_an_active_mandate_its_collections_are_what_was_given(db: None) -> None:
    # Given a donor whose € 20 mandate was cancelled after four collections this year
    ilse = _relation("I")
    _collections(ilse, _mandate(ilse, 20, status="cancelled"), 20, 4)

    refresh_facts(NOW)

    # Then those collections are the year's support: nothing else is counted for them
    facts = _facts(ilse)
    assert (facts.mandate_annual_cents, facts.annual_support_cents) == (0, 8000)


def test_a_group_on_annual_support_leaves_out_the_double_counted_donor(db: None) -> None:
    from koers.groups.queries import count_members

    gerda = _relation("G")
    _collections(gerda, _mandate(gerda, 25), 25, 12)
    refresh_facts(NOW)

    assert count_members("support.annual >= 500", NOW) == 0
    assert count_members("support.annual >= 300", NOW) == 1
