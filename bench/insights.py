"""Benchmark: the giving summary and the insights dashboard against one scan of the gifts.

    .venv/bin/python bench/insights.py [--relations 100000] [--gifts 5] [--db sqlite|postgres]

Runs on a database of its own (bench/out/insights/koers.sqlite3, or the PostgreSQL
database koers_bench_insights, both made afresh) with a generated base: --relations
relations with --gifts gifts each, spread over the last six years. Prints, from one run:
- rebuild: a full rebuild of the giving summary;
- daily: bringing the summary up to date after a day's gifts (one gift for 1 in 365
  relations), and its share of the rebuild (target: under 10 %);
- dashboard p95: 20 loads of the Inzichten figures (five years of retention and the
  lapsing donors);
- floor: one full scan of the gifts (SELECT count(*), sum(amount_cents) FROM giving_gift),
  and the dashboard p95 as a ratio of it (target: under 1.0).
The generated relations are removed at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from typing import Any

from bench_figures import add_smoke_flag, fresh_django, record

PREFIX = "BENCH-INSIGHTS-"


def setup_django(db: str) -> None:
    fresh_django("insights", db)


def generate(relations: int, gifts: int, today: date, seed: int = 1) -> None:
    from koers.giving.models import Gift
    from koers.relations.models import Relation

    rng = random.Random(seed)
    Relation.objects.bulk_create(
        [Relation(external_id=f"{PREFIX}{i}", last_name=f"B{i}") for i in range(relations)],
        batch_size=5000,
    )
    ids = list(Relation.objects.filter(external_id__startswith=PREFIX).values_list("id", flat=True))
    batch: list[Gift] = []
    for number, relation_id in enumerate(ids):
        for k in range(gifts):
            on = today - timedelta(days=rng.randrange(6 * 365))
            batch.append(
                Gift(
                    relation_id=relation_id,
                    external_id=f"{PREFIX}{number}-{k}",
                    received_on=on,
                    amount_cents=rng.choice([500, 1000, 2500, 5000]),
                )
            )
        if len(batch) >= 20000:
            Gift.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Gift.objects.bulk_create(batch, batch_size=5000)


def a_days_gifts(today: date) -> int:
    from koers.giving.models import Gift
    from koers.relations.models import Relation

    ids = list(
        Relation.objects.filter(external_id__startswith=PREFIX).values_list("id", flat=True)
    )[::365]
    Gift.objects.bulk_create(
        [
            Gift(
                relation_id=i, external_id=f"{PREFIX}day-{i}", received_on=today, amount_cents=1000
            )
            for i in ids
        ]
    )
    return len(ids)


def dashboard(today: date) -> None:
    from koers.insights.queries import calendar_year, lapsing, retention_counts

    for year in range(today.year - 4, today.year + 1):
        retention_counts(calendar_year(year))
    lapsing(today)


def scan() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), sum(amount_cents) FROM giving_gift")
        cursor.fetchone()


def timed(work: Any) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def run(relations: int, gifts: int, keep: bool = False) -> dict[str, float]:
    from django.db import connection

    from koers.insights.summary import rebuild_summary, refresh_summary
    from koers.relations.models import Relation

    today = date.today()
    generate(relations, gifts, today)
    figures: dict[str, float] = {"rebuild": timed(rebuild_summary)}
    a_days_gifts(today)
    figures["daily"] = timed(refresh_summary)
    loads = sorted(timed(lambda: dashboard(today)) for _ in range(20))
    figures["dashboard_p95"] = loads[18]
    figures["dashboard_median"] = statistics.median(loads)
    figures["scan"] = min(timed(scan) for _ in range(3))
    figures["daily_share"] = figures["daily"] / figures["rebuild"]
    figures["dashboard_ratio"] = figures["dashboard_p95"] / figures["scan"]
    print(f"{connection.vendor}: {relations} relations, {relations * gifts} gifts")
    for name, value in figures.items():
        print(f"  {name}: {value:.4f}")
    if not keep:
        Relation.objects.filter(external_id__startswith=PREFIX).delete()
        rebuild_summary()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--gifts", type=int, default=5)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--keep", action="store_true")
    add_smoke_flag(parser)
    options = parser.parse_args()
    if options.smoke:
        options.relations, options.gifts, options.db = 200, 3, "sqlite"
    setup_django(options.db)
    figures = run(options.relations, options.gifts, options.keep)
    sizes = {"db": options.db, "relations": options.relations, "gifts": options.gifts}
    units = {
        "rebuild": "summary rebuild (s)",
        "daily": "daily update (s)",
        "dashboard_p95": "dashboard p95 (s)",
        "dashboard_median": "dashboard median (s)",
        "scan": "one scan of the gifts, the floor (s)",
        "daily_share": "daily update against the rebuild (share)",
        "dashboard_ratio": "dashboard p95 against the floor (x)",
    }
    shown = {units[name]: round(value, 4) for name, value in figures.items()}
    record(f"insights-{options.db}", sizes, shown, smoke=options.smoke)


if __name__ == "__main__":
    main()
