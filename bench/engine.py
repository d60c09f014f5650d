"""Benchmark: the journey engine over 1,000,000 relations and 60 simulated days.

    .venv/bin/python bench/engine.py [--relations N] [--days D] [--db sqlite|postgres]
                                     [--baseline-relations M]

Sets up a fresh database with N relations (address, e-mail, phone, consents), one
mandate per relation starting on one of the simulated days (its mandate.started
event), and a first gift for most of them a few days later. Installs the welcome
flow and two more journeys, then runs one planning tick per simulated day at 09:00
and prints ticks per second, relations advanced per second and touchpoints planned
per second. A naive baseline does the same journeys with ORM queries per relation
on a smaller sample; the speed-up compares relations advanced per second.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench_figures import add_smoke_flag, fresh_django, record

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
AMS = ZoneInfo("Europe/Amsterdam")
START = date(2026, 9, 1)

THANKS = {
    "key": "bedankt-gift", "name": "Bedankt voor uw gift", "phase": "bedanken", "status": "active",
    "trigger": {"event": "gift.received", "where": "trigger.amount >= 25", "reentry": "always"},
    "exit_when": ["deceased"],
    "steps": [
        {"key": "mail", "kind": "action", "channel": "email", "nature": "thank",
         "content": {"subject": "Dank u wel", "body": "{{ aanhef }} Dank voor {{ bedrag }}."}},
        {"key": "wacht", "kind": "wait", "for": "3 days"},
        {"key": "groot", "kind": "branch",
         "branches": [{"when": "trigger.amount >= 100", "next": "bel"}], "else": "einde"},
        {"key": "bel", "kind": "action", "channel": "phone", "nature": "thank",
         "content": {"script": "Bedank persoonlijk."}},
        {"key": "einde", "kind": "exit"},
    ],
}  # fmt: skip
LOYAL = {
    "key": "tweede-jaar", "name": "Op weg naar het tweede jaar", "phase": "loyaliteit",
    "status": "active", "trigger": {"event": "mandate.started", "reentry": "once"},
    "exit_when": ["mandate_cancelled", "opt_out", "deceased"],
    "steps": [
        {"key": "wacht", "kind": "wait", "for": "10 days"},
        {"key": "splits", "kind": "split", "paths": [
            {"percent": 10, "next": "einde", "label": "controlegroep"},
            {"percent": 90, "next": "verhaal", "label": "verhaal"}]},
        {"key": "verhaal", "kind": "action", "channels": ["email", "letter"], "nature": "appreciate",
         "content": {"subject": "Uw steun in beeld", "body": "{{ aanhef }} Zo helpt u."}},
        {"key": "einde", "kind": "exit"},
    ],
}  # fmt: skip


def setup_django(db: str) -> None:
    fresh_django("engine", db)


def noon(day: date) -> datetime:
    return datetime.combine(day, clock(12), tzinfo=AMS)


def load(relations: int, days: int) -> float:
    """Relations, consents, mandates and their events, in bulk. Returns seconds taken."""
    from django.db import connection, transaction

    began = time.perf_counter()
    made = datetime(2026, 1, 1, tzinfo=AMS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO relations_relation (id, external_id, kind, salutation, initials, first_name,"
            " infix, last_name, organisation_name, email, phone, street, house_number, postcode,"
            " city, country, language, status, preferred_channel, created_at, updated_at)"
            " VALUES (%s, %s, 'person', '', '', 'Anna', '', %s, '', %s, '0612345678', 'Laan',"
            " '1', '1234AB', 'Utrecht', 'NL', 'nl', 'active', %s, %s, %s)",
            (
                (
                    n,
                    f"R{n}",
                    f"Berg{n % 997}",
                    f"r{n}@example.nl",
                    "post" if n % 3 == 0 else "email",
                    made,
                    made,
                )
                for n in range(1, relations + 1)
            ),
        )
        for channel, modulo in (("email", 1), ("post", 1), ("phone", 10)):
            keep = "1 = 1" if modulo == 1 else f"id % {modulo} < 7"
            cursor.execute(
                "INSERT INTO relations_consent (relation_id, channel, basis, source, given_at, proof,"
                f" updated_at) SELECT id, '{channel}', 'consent', 'bench', %s, '', %s"
                f" FROM relations_relation WHERE {keep}",
                [made, made],
            )
        amounts = (500, 1000, 1500, 2500, 5000)
        cursor.executemany(
            "INSERT INTO giving_mandate (id, reference, relation_id, amount_cents, frequency,"
            " start_date, status, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, 'monthly', %s, 'active', %s, %s)",
            (
                (n, f"M{n}", n, amounts[n % 5], START + timedelta(days=n % days), made, made)
                for n in range(1, relations + 1)
            ),
        )
        events = []
        for n in range(1, relations + 1):
            day = START + timedelta(days=n % days)
            amount = amounts[n % 5]
            started = {
                "reference": f"M{n}",
                "amount_cents": amount,
                "annual_cents": amount * 12,
                "frequency": "monthly",
            }
            events.append((n, "mandate.started", noon(day), json.dumps(started)))
            if n % 10 < 8:
                gift = {
                    "amount_cents": amount * (1 if n % 7 else 8),
                    "campaign": "",
                    "kind": "recurring",
                }
                events.append((n, "gift.received", noon(day + timedelta(days=5)), json.dumps(gift)))
            if len(events) >= 200_000:
                _events(cursor, events, made)
                events = []
        _events(cursor, events, made)
    return time.perf_counter() - began


def _events(cursor: Any, rows: list[tuple[int, str, datetime, str]], made: datetime) -> None:
    from django.db import connection

    data = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    cursor.executemany(
        "INSERT INTO relations_event (relation_id, kind, occurred_at, recorded_at, source, data)"
        f" VALUES (%s, %s, %s, %s, 'import', {data})",
        [(n, kind, at, made, payload) for n, kind, at, payload in rows],
    )


def install() -> None:
    from koers.journeys import actions
    from koers.journeys.models import Journey

    actions.install("welkom-structureel")
    actions.publish(THANKS)
    actions.publish(LOYAL)
    Journey.objects.update(event_watermark=0)  # the loaded events lie ahead of the first tick


class Statements:
    """Time spent per SQL statement (its first words), to see where a slow tick goes."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = self.spent.setdefault(" ".join(sql.split())[:150], [0.0, 0])
            entry[0] += time.perf_counter() - began
            entry[1] += 1

    def print_top(self, count: int = 8) -> None:
        ranked = sorted(self.spent.items(), key=lambda item: -item[1][0])[:count]
        total = sum(seconds for seconds, _ in self.spent.values())
        print(f"    statements: {total:.2f} s in {sum(n for _, n in self.spent.values()):,}")
        for sql, (seconds, n) in ranked:
            print(f"    {seconds:6.2f} s {int(n):>5}x  {sql}")
        self.spent.clear()


def ticks(days: int, statements: bool = False) -> dict[str, Any]:
    from contextlib import nullcontext

    from django.db import connection

    from koers.journeys.engine import tick

    per_day, advanced, planned = [], 0, 0
    watch = Statements() if statements else None
    if watch:
        # Commits are not statements: time them too (WAL write and checkpoint on SQLite).
        commit = connection._commit

        def timed_commit() -> None:
            began = time.perf_counter()
            try:
                commit()
            finally:
                entry = watch.spent.setdefault("COMMIT", [0.0, 0])
                entry[0] += time.perf_counter() - began
                entry[1] += 1

        connection._commit = timed_commit  # type: ignore[method-assign]
    for offset in range(1, days + 1):
        now = datetime.combine(START + timedelta(days=offset), clock(9), tzinfo=AMS)
        began = time.perf_counter()
        with connection.execute_wrapper(watch) if watch else nullcontext():
            report = tick(now)
        seconds = time.perf_counter() - began
        per_day.append(seconds)
        advanced += report.moved + report.enrolled
        planned += report.planned
        print(
            f"  {now:%d-%m}: {seconds:6.2f} s, {report.enrolled:>8,} in, {report.moved:>8,} moved,"
            f" {report.planned:>8,} planned",
            flush=True,
        )
        if watch:
            watch.print_top()
    total = sum(per_day)
    return {
        "ticks": days,
        "seconds": round(total, 2),
        "slowest_tick_s": round(max(per_day), 2),
        "median_tick_s": round(statistics.median(per_day), 2),
        "ticks_per_s": round(days / total, 3),
        "advanced_per_s": round(advanced / total),
        "planned_per_s": round(planned / total),
        "advanced": advanced,
        "planned": planned,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--baseline-relations", type=int, default=5_000)
    parser.add_argument(
        "--statements", action="store_true", help="print the slowest SQL statements of each tick"
    )
    parser.add_argument("--only", choices=["engine", "baseline"], help=argparse.SUPPRESS)
    add_smoke_flag(parser)
    args = parser.parse_args()
    if args.smoke:
        args.relations, args.days, args.baseline_relations = 300, 3, 30
    if args.only is None:
        results = {}
        for part, size in (("engine", args.relations), ("baseline", args.baseline_relations)):
            command = [sys.executable, __file__, "--only", part, "--relations", str(size),
                       "--days", str(args.days), "--db", args.db]  # fmt: skip
            if args.statements and part == "engine":
                command.append("--statements")
            print(f"== {part} on {args.db}, {size:,} relations, {args.days} days", flush=True)
            subprocess.run(command, check=True)
            results[part] = json.loads((OUT / f"engine-{args.db}-{part}.json").read_text())
        summarise(args, results)
        return
    setup_django(args.db)
    loaded = load(args.relations, args.days)
    print(f"  loaded in {loaded:.1f} s", flush=True)
    install()
    if args.only == "engine":
        figures = ticks(args.days, args.statements)
    else:
        from bench_naive import naive_ticks

        figures = naive_ticks(args.days, START, AMS)
    figures["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["relations"] = args.relations
    (OUT / f"engine-{args.db}-{args.only}.json").write_text(json.dumps(figures, indent=2))


def summarise(args: argparse.Namespace, results: dict[str, dict[str, Any]]) -> None:
    engine, naive = results["engine"], results["baseline"]
    factor = engine["advanced_per_s"] / max(naive["advanced_per_s"], 1)
    slowest_ok = engine["slowest_tick_s"] < 10
    print(f"\n== engine benchmark on {args.db}: {args.relations:,} relations, {args.days} days")
    print(f"ticks per second           {engine['ticks_per_s']:>12}")
    print(f"relations advanced per s   {engine['advanced_per_s']:>12,}")
    print(f"touchpoints planned per s  {engine['planned_per_s']:>12,}")
    print(
        f"slowest daily tick         {engine['slowest_tick_s']:>10} s  (target < 10 s on SQLite: {'met' if slowest_ok else 'NOT met'})"
    )
    print(
        f"total planning time        {engine['seconds']:>10} s for {engine['advanced']:,} moves, {engine['planned']:,} touchpoints"
    )
    print(f"peak memory                {engine['peak_mib']:>8} MiB")
    print(
        f"naive baseline             {naive['advanced_per_s']:>12,} relations advanced per s ({naive['relations']:,} relations)"
    )
    print(
        f"speed-up over the baseline {factor:>11.0f}x (target >= 50x: {'met' if factor >= 50 else 'NOT met'})"
    )
    summary = {"db": args.db, "engine": engine, "baseline": naive, "speedup": round(factor, 1)}
    (OUT / f"engine-{args.db}.json").write_text(json.dumps(summary, indent=2))
    sizes = {"db": args.db, "relations": args.relations, "days": args.days,
             "baseline relations": naive["relations"]}  # fmt: skip
    figures = {
        "slowest daily tick (s)": engine["slowest_tick_s"],
        "median daily tick (s)": engine["median_tick_s"],
        "ticks per second": engine["ticks_per_s"],
        "relations advanced per second": engine["advanced_per_s"],
        "touchpoints planned per second": engine["planned_per_s"],
        "moves": engine["advanced"],
        "touchpoints planned": engine["planned"],
        "peak memory (MiB)": engine["peak_mib"],
        "naive baseline, relations advanced per second": naive["advanced_per_s"],
        "speed-up over the naive baseline (x)": round(factor),
    }
    record(f"engine-{args.db}", sizes, figures, smoke=args.smoke)


if __name__ == "__main__":
    main()
