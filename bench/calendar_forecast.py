"""Benchmark: a full-year calendar forecast with its four checks, for 1,000,000 relations.

    .venv/bin/python bench/calendar_forecast.py [--relations N] [--year Y]
                                                [--db sqlite|postgres] [--tick] [--smoke]

Sets up a fresh database with N relations (address, e-mail, phone, birth dates for most),
consents, mandates for about a third and facts for everyone (first gifts spread over 25
years, giving of the last 12 months, levels), installs the example calendar and then, in
a process of its own so that its peak memory is the forecast's alone, reads the base,
forecasts the year, runs the four checks and adds up the totaaloverzicht and the
workload. Prints the seconds of each phase, the total and the peak memory, against the
target of 30 seconds and 2 GB. The journeys' thank-yous are not part of this run: no
journey is active (their cost is the journey engine's, measured by bench/engine.py).
With --tick it then times the calendar in the daily tick (after the peak memory is read).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench_figures import add_smoke_flag, record

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG = "postgres://postgres@127.0.0.1:5432"
AMS = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 12, 2)
CHUNK = 100_000


def setup_django(db: str, fresh: bool) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    folder = OUT / "calendar"
    os.environ["KOERS_VAR_DIR"] = str(folder)
    if db == "postgres":
        os.environ["DATABASE_URL"] = f"{PG}/koers_bench_calendar"
        if fresh:
            for sql in (
                "DROP DATABASE IF EXISTS koers_bench_calendar",
                "CREATE DATABASE koers_bench_calendar",
            ):
                subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True)
    else:
        os.environ.pop("DATABASE_URL", None)
        folder.mkdir(exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                (folder / f"koers.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def _relation(n: int, made: datetime) -> tuple[Any, ...]:
    birth = date(1935 + n % 60, 1 + n % 12, 1 + n % 28) if n % 5 < 3 else None
    preferred = ("email", "post", "", "phone")[n % 4]
    return (n, f"R{n}", f"Berg{n % 997}", f"r{n}@example.nl", birth, preferred, made, made)


def _facts(n: int, levels: list[tuple[int, int]], made: datetime) -> tuple[Any, ...]:
    first = date(2001, 1, 1) + timedelta(days=(n * 7919) % 9400)  # spread over 25 years
    count = 1 + n % 40
    total = count * (1500 + (n % 13) * 1000)
    recent = n % 6  # gifts in the last 12 months
    recent_cents = recent * (1500 + (n % 13) * 1000)
    mandate = n if n % 3 == 0 else None
    mandate_annual = 12 * (500 + (n % 5) * 500) if mandate else 0
    support = recent_cents + mandate_annual
    if n % 50 == 0:
        support += 150_000  # a major donor now and then
    level = next(pk for pk, floor in reversed(levels) if support >= floor)
    tenure = max(0, TODAY.year - first.year)
    last = TODAY - timedelta(days=n % 400)
    score = 1 + n % 5
    return (n, first, last, count, total, recent, recent_cents, 20000, mandate,
            mandate_annual, tenure, score, score, score, support, level, made)  # fmt: skip


def load(relations: int) -> float:
    from django.db import connection, transaction

    from koers.groups.models import Level

    began = time.perf_counter()
    made = datetime(2026, 1, 1, tzinfo=AMS)
    levels = list(Level.objects.order_by("min_annual_cents").values_list("id", "min_annual_cents"))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(1, relations + 1, CHUNK):
            numbers = range(start, min(start + CHUNK, relations + 1))
            cursor.executemany(
                "INSERT INTO relations_relation (id, external_id, kind, salutation, initials,"
                " first_name, infix, last_name, organisation_name, email, phone, street,"
                " house_number, postcode, city, country, birth_date, language, status,"
                " preferred_channel, created_at, updated_at) VALUES (%s, %s, 'person', '', '',"
                " 'Anna', '', %s, '', %s, '0612345678', 'Laan', '1', '1234AB', 'Utrecht', 'NL',"
                " %s, 'nl', 'active', %s, %s, %s)",
                [_relation(n, made) for n in numbers],
            )
        for channel, keep in (("email", "id %% 5 < 4"), ("post", "id %% 20 < 19"),
                              ("phone", "id %% 10 < 3")):  # fmt: skip
            cursor.execute(
                "INSERT INTO relations_consent (relation_id, channel, basis, source, given_at,"
                f" proof, updated_at) SELECT id, '{channel}', 'consent', 'bench', %s, '', %s"
                f" FROM relations_relation WHERE {keep}",
                [made, made],
            )
        cursor.execute(
            "INSERT INTO giving_mandate (id, reference, relation_id, amount_cents, frequency,"
            " start_date, status, created_at, updated_at) SELECT id, 'M' || id, id,"
            " 500 + (id %% 5) * 500, 'monthly', %s, 'active', %s, %s"
            " FROM relations_relation WHERE id %% 3 = 0",
            [date(2020, 1, 1), made, made],
        )
        cursor.execute(
            "UPDATE giving_mandate SET start_date = %s WHERE id %% 2 = 0", [date(2023, 6, 15)]
        )
        for start in range(1, relations + 1, CHUNK):
            numbers = range(start, min(start + CHUNK, relations + 1))
            cursor.executemany(
                "INSERT INTO groups_facts (relation_id, first_gift_on, last_gift_on, gifts_count,"
                " gifts_cents, gifts_12m_count, gifts_12m_cents, largest_gift_cents, mandate_id,"
                " mandate_annual_cents, tenure_years, recency_score, frequency_score,"
                " monetary_score, annual_support_cents, level_id, refreshed_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [_facts(n, levels, made) for n in numbers],
            )
    return time.perf_counter() - began


def measure(year: int) -> dict[str, Any]:
    """The forecast, timed phase by phase, in this process alone."""
    from koers.calendar.base import load_base, load_ceilings
    from koers.calendar.checks import run_checks
    from koers.calendar.forecast import forecast
    from koers.calendar.models import Calendar
    from koers.calendar.overview import totaaloverzicht, totals, workload
    from koers.calendar.report import numbers

    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=AMS).replace(hour=9)
    plan = Calendar.objects.get(key="voorbeeld").spec()
    phases: dict[str, float] = {}
    began = time.perf_counter()
    base = load_base(now)
    phases["read the base"] = time.perf_counter() - began
    mark = time.perf_counter()
    result = forecast(plan, base, year, ceilings=load_ceilings())
    phases["forecast"] = time.perf_counter() - mark
    mark = time.perf_counter()
    checks = run_checks(result, plan, numbers)
    phases["four checks"] = time.perf_counter() - mark
    mark = time.perf_counter()
    totaaloverzicht(result)
    workload(result)
    figures = totals(result)
    phases["overviews"] = time.perf_counter() - mark
    return {
        "relations": base.size,
        "rows": len(result.rel),
        "phases": {name: round(seconds, 2) for name, seconds in phases.items()},
        "seconds": round(time.perf_counter() - began, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "totals": figures,
        "checks": {check.key: check.passed for check in checks},
    }


def tick(year: int) -> dict[str, Any]:
    """The calendar in the daily tick, on two days in a row: the first plans Christmas and
    the Dag van de Vrijwilliger for everyone they concern, the second only what is new."""
    from koers.calendar.actions import set_active
    from koers.calendar.engine import plan_calendars
    from koers.calendar.models import Calendar

    set_active(Calendar.objects.get(key="voorbeeld"), True)
    found = {}
    for day in (4, 5):
        began = time.perf_counter()
        planned = plan_calendars(datetime(year - 1, 12, day, 9, tzinfo=AMS))
        found[f"12-{day:02d}"] = {
            "seconds": round(time.perf_counter() - began, 2),
            "planned": sum(p.total for p in planned),
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--tick", action="store_true", help="also time the daily tick on 4 and 5 December"
    )
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    add_smoke_flag(parser)
    args = parser.parse_args()
    if args.smoke:
        args.relations, args.tick = 300, True
    if args.measure_only:
        setup_django(args.db, fresh=False)
        figures = measure(args.year)
        if args.tick:
            figures["tick"] = tick(args.year)
        (OUT / f"calendar-{args.db}.json").write_text(json.dumps(figures, indent=2))
        return
    setup_django(args.db, fresh=True)
    print(f"== setting up {args.relations:,} relations on {args.db}", flush=True)
    print(f"  loaded in {load(args.relations):.1f} s", flush=True)
    from koers.calendar.actions import install

    install("example")
    command = [sys.executable, __file__, "--measure-only", "--db", args.db, "--year",
               str(args.year), *(["--tick"] if args.tick else [])]  # fmt: skip
    subprocess.run(command, check=True)
    report(args, json.loads((OUT / f"calendar-{args.db}.json").read_text()))


def report(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    seconds, peak = figures["seconds"], figures["peak_mib"]
    print(f"\n== calendar forecast {args.year} on {args.db}: {figures['relations']:,} relations")
    for name, spent in figures["phases"].items():
        print(f"{name:<28}{spent:>8.2f} s")
    met = {True: "met", False: "NOT met"}
    print(f"{'total':<28}{seconds:>8.2f} s  (target < 30 s: {met[seconds < 30]})")
    print(f"peak memory {peak:>20,} MiB  (target < 2 GB: {met[peak < 2048]})")
    totals = figures["totals"]
    print(f"forecast rows {figures['rows']:>18,}")
    print(f"appreciation / thanks {totals['appreciate']:>10,} / {totals['thank']:,}")
    print(f"checks                      {figures['checks']}")
    for day, found in figures.get("tick", {}).items():
        print(f"daily tick on {day}: {found['seconds']} s, {found['planned']:,} planned")
    sizes = {"db": args.db, "relations": figures["relations"], "year": args.year}
    recorded = {f"{name} (s)": spent for name, spent in figures["phases"].items()}
    recorded |= {
        "total (s)": seconds,
        "peak memory (MiB)": peak,
        "dated contacts in the forecast": figures["rows"],
    }
    for day, found in figures.get("tick", {}).items():
        recorded[f"daily tick on {day} (s)"] = found["seconds"]
        recorded[f"daily tick on {day}, touchpoints planned"] = found["planned"]
    record(f"calendar-forecast-{args.db}", sizes, recorded, smoke=args.smoke)


if __name__ == "__main__":
    main()
