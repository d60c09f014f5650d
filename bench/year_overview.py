"""Benchmark: the calendar's year overview with the journeys, as a fundraiser meets it.

    .venv/bin/python bench/year_overview.py [--calendar KEY] [--year Y]

Runs against the database the settings point at (the demo base: `koers demo --relations
10000 --seed 1`). Asks for the year page with the journeys' thank-yous, as the browser
does, and times: the first answer, the moment the overview is on the page (polling as the
page does, while `koers db_worker` computes it in the background), the page once more, and
the Excel and iCalendar downloads. The stored overviews are removed first, so the first
request starts from nothing; the worker is started here and stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

# bench/ holds a calendar.py; run as a script, its folder comes first on the path and would
# hide the standard library's calendar module from what Django imports later.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

ROOT = _HERE.parent
# The overview's own heading: on the page only once the figures are there.
READY = 'id="kop-totaal"'


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()


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
    args = parser.parse_args()
    setup_django()
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
    worker = start_worker()
    try:
        started = time.perf_counter()
        first, body = timed(client, base + "?klantreizen=1")
        while READY.encode() not in body:
            time.sleep(0.5)
            _, body = timed(client, base + "?klantreizen=1")
        ready = time.perf_counter() - started
        again, _ = timed(client, base + "?klantreizen=1")
        excel, _ = timed(client, base + "overzicht.xlsx?klantreizen=1")
        ical, _ = timed(client, base + "agenda.ics?klantreizen=1")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    print(f"year overview with journeys, {args.calendar} {year}")
    print(f"  first answer of the page   {first:7.2f} s")
    print(f"  overview on the page after {ready:7.2f} s")
    print(f"  the page again             {again:7.2f} s")
    print(f"  Excel download             {excel:7.2f} s")
    print(f"  iCalendar download         {ical:7.2f} s")
    worked = worker_seconds()
    if worked is not None:
        print(f"  of which the worker worked {worked:7.2f} s")


def worker_seconds() -> float | None:
    """How long the worker took, from its own record: the rest is waiting and polling."""
    try:
        from koers.calendar.models import YearOverview  # type: ignore[attr-defined]
    except ImportError:
        return None
    done = YearOverview.objects.filter(journeys=True, finished_at__isnull=False).first()
    if done is None or done.started_at is None:
        return None
    return (done.finished_at - done.started_at).total_seconds()


if __name__ == "__main__":
    main()
