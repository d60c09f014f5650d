"""Benchmark: the calendar's year overview with the journeys, as a fundraiser meets it.

    .venv/bin/python bench/year_overview.py [--calendar KEY] [--year Y] [--demo N] [--smoke]

Runs against the database the settings point at (the demo base: `koers demo --relations
10000 --seed 1`), or with --demo N against a fresh SQLite database in bench/out/ with a
demo base of N relations (--smoke: 100, the overview without the journeys). Asks for the
year page with the journeys' thank-yous, as the browser does, and times: the first answer,
the moment the overview is on the page (polling as the page does, while `koers db_worker`
computes it in the background), the page once more, and the Excel and iCalendar downloads.
The stored overviews are removed first, so the first request starts from nothing; the
worker is started here and stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench_figures import add_smoke_flag, record

_HERE = Path(__file__).resolve().parent

ROOT = _HERE.parent
# The overview's own heading: on the page only once the figures are there.
READY = 'id="kop-totaal"'


def setup_django(demo: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    if demo:
        folder = ROOT / "bench" / "out" / "year_overview"
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (folder / f"koers.sqlite3{suffix}").unlink(missing_ok=True)
        os.environ["KOERS_VAR_DIR"] = str(folder)
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    if demo:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("demo", relations=demo, seed=1, verbosity=0)


def start_worker() -> subprocess.Popen[bytes] | None:
    from django.conf import settings

    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return None
    koers = Path(sys.executable).parent / "koers"
    return subprocess.Popen([str(koers), "db_worker", "--interval", "0.2"], cwd=ROOT)


def clear_stored() -> None:
    try:
        from koers.calendar.models import YearOverview  # type: ignore[attr-defined]
    except ImportError:
        return
    YearOverview.objects.all().delete()


def timed(client: object, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url, SERVER_NAME="localhost")  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: status {response.status_code}")
    return elapsed, response.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calendar", default="voorbeeld")
    parser.add_argument("--year", type=int, default=0)
    parser.add_argument("--demo", type=int, default=0, help="a fresh demo base of N relations")
    parser.add_argument(
        "--no-journeys", action="store_true", help="the overview without the journeys' contacts"
    )
    add_smoke_flag(parser)
    args = parser.parse_args()
    if args.smoke:
        # The journeys' year is simulated day by day whatever the size: too long for a smoke.
        args.demo, args.no_journeys = 100, True
    setup_django(args.demo)
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    year = args.year or timezone.localdate().year
    cache.clear()
    clear_stored()
    client = Client()
    client.force_login(get_user_model().objects.get(username="beheerder"))
    base = f"/kalender/{args.calendar}/jaar/{year}/"
    query = "" if args.no_journeys else "?klantreizen=1"
    worker = start_worker()
    try:
        started = time.perf_counter()
        first, body = timed(client, base + query)
        while READY.encode() not in body:
            time.sleep(0.5)
            _, body = timed(client, base + query)
        ready = time.perf_counter() - started
        again, _ = timed(client, base + query)
        excel, _ = timed(client, base + "overzicht.xlsx" + query)
        ical, _ = timed(client, base + "agenda.ics" + query)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    print(f"year overview, journeys {not args.no_journeys}, {args.calendar} {year}")
    print(f"  first answer of the page   {first:7.2f} s")
    print(f"  overview on the page after {ready:7.2f} s")
    print(f"  the page again             {again:7.2f} s")
    print(f"  Excel download             {excel:7.2f} s")
    print(f"  iCalendar download         {ical:7.2f} s")
    worked = worker_seconds()
    if worked is not None:
        print(f"  of which the worker worked {worked:7.2f} s")
    figures = {"first answer of the page (s)": round(first, 2),
               "overview on the page after (s)": round(ready, 2),
               "the page again (s)": round(again, 2), "Excel download (s)": round(excel, 2),
               "iCalendar download (s)": round(ical, 2)}  # fmt: skip
    if worked is not None:
        figures["the worker's own time (s)"] = round(worked, 2)
    sizes = {"calendar": args.calendar, "year": year, "journeys": not args.no_journeys,
             "demo relations": args.demo or "as found"}  # fmt: skip
    record("year-overview", sizes, figures, smoke=args.smoke)


def worker_seconds() -> float | None:
    """How long the worker took, from its own record: the rest is waiting and polling."""
    try:
        from koers.calendar.models import YearOverview  # type: ignore[attr-defined]
    except ImportError:
        return None
    done = YearOverview.objects.filter(finished_at__isnull=False).first()
    if done is None or done.started_at is None:
        return None
    return (done.finished_at - done.started_at).total_seconds()


if __name__ == "__main__":
    main()
