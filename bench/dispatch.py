"""Benchmark: dispatching e-mail to a real SMTP server, messages per second.

    .venv/bin/python bench/dispatch.py [--messages 2000] [--db sqlite|postgres] [--letters 0]
                                       [--workers 1]

Sets up a fresh database with N relations (e-mail address and e-mail consent) and one
planned e-mail touchpoint each, starts an SMTP server of its own (aiosmtpd, in a process of
its own so that it does not share the dispatcher's interpreter) on a free port of
127.0.0.1, and times one `dispatch()` over everything that is due. It prints messages per
second and checks what the server received: every touchpoint once, none twice.
--letters adds that many letters (one PDF each and the print house's batch), timed apart.
--workers N dispatches the e-mails with N processes at once, as N workers would (they share
the work through SKIP LOCKED on PostgreSQL), from the first one's start to the last one's end.

The database koers_bench_dispatch on postgres://postgres@127.0.0.1:5432 (trust auth) is
created afresh; the SQLite file lives in bench/out/dispatch/.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench_figures import add_smoke_flag, record

_HERE = Path(__file__).resolve().parent

ROOT = _HERE.parent
FOLDER = ROOT / "bench" / "out" / "dispatch"
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "koers_bench_dispatch"
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 24, 10, tzinfo=AMS)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(port: int, out: Path) -> None:
    """The SMTP server: counts the touchpoints it received; writes them out on SIGTERM."""
    from aiosmtpd.controller import Controller

    received: Counter[str] = Counter()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            for line in envelope.content.split(b"\r\n"):
                if line.startswith(b"X-Koers-Touchpoint:"):
                    received[line.split(b":", 1)[1].strip().decode()] += 1
                    break
                if not line:
                    break
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    stopped = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopped
        stopped = True

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    while not stopped:
        time.sleep(0.05)
    controller.stop()
    out.write_text(json.dumps(received))


def setup_django(db: str, port: int) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "koers.settings",
            "KOERS_VAR_DIR": str(FOLDER),
            "KOERS_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "KOERS_SMTP_HOST": "127.0.0.1",
            "KOERS_SMTP_PORT": str(port),
        }
    )
    if db == "postgres":
        os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
        for sql in (f"DROP DATABASE IF EXISTS {DB_NAME}", f"CREATE DATABASE {DB_NAME}"):
            subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)
    else:
        os.environ.pop("DATABASE_URL", None)
        for suffix in ("", "-wal", "-shm"):
            (FOLDER / f"koers.sqlite3{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(messages: int, letters: int) -> None:
    """Relations with an e-mail address, post address and consents; one touchpoint each."""
    from django.db import connection, transaction

    made = datetime(2026, 1, 1, tzinfo=AMS)
    total = messages + letters
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO relations_relation (id, external_id, kind, salutation, initials,"
            " first_name, infix, last_name, organisation_name, email, phone, street,"
            " house_number, postcode, city, country, language, status, preferred_channel,"
            " created_at, updated_at) VALUES (%s, %s, 'person', '', '', 'Anna', '', %s, '', %s,"
            " '', 'Laan', '1', '1234AB', 'Utrecht', 'NL', 'nl', 'active', 'email', %s, %s)",
            [(n, f"R{n}", f"Berg{n}", f"r{n}@example.nl", made, made) for n in range(1, total + 1)],
        )
        for channel in ("email", "post"):
            cursor.execute(
                "INSERT INTO relations_consent (relation_id, channel, basis, source, given_at,"
                f" proof, updated_at) SELECT id, '{channel}', 'consent', 'bench', %s, '', %s"
                " FROM relations_relation",
                [made, made],
            )
    from koers.touchpoints.models import Touchpoint

    mail = {"subject": "Nieuws van ons", "body": "{{ aanhef }}\n\nZo helpt uw steun."}
    rows = [
        Touchpoint(
            relation_id=n,
            source="bench:dispatch",
            occurrence="1",
            channel="email" if n <= messages else "letter",
            nature="inform",
            content=mail,
            planned_at=NOW - timedelta(hours=1),
        )
        for n in range(1, total + 1)
    ]
    Touchpoint.objects.bulk_create(rows, batch_size=5000)


def timed(limit_channel: str) -> tuple[float, Any]:
    from koers.touchpoints.dispatch import dispatch
    from koers.touchpoints.models import Touchpoint

    Touchpoint.objects.exclude(channel=limit_channel).filter(status="planned").update(
        planned_at=NOW + timedelta(days=1)
    )
    began = time.perf_counter()
    report = dispatch(NOW)
    seconds = time.perf_counter() - began
    Touchpoint.objects.filter(status="planned").update(planned_at=NOW - timedelta(hours=1))
    return seconds, report


def dispatch_here() -> None:
    """One of --workers: dispatch what is due, print when it began and ended (wall clock)."""
    import django

    django.setup()
    from koers.touchpoints.dispatch import dispatch

    began = time.time()
    report = dispatch(NOW)
    print(json.dumps({"began": began, "ended": time.time(), "sent": report.sent}), flush=True)


def in_processes(count: int) -> tuple[float, int]:
    """Dispatch with `count` processes at once; (seconds, messages sent)."""
    command = [sys.executable, __file__, "--dispatch"]
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(count)]
    results = [json.loads(worker.communicate()[0].strip().splitlines()[-1]) for worker in workers]
    seconds = max(r["ended"] for r in results) - min(r["began"] for r in results)
    return seconds, sum(r["sent"] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--letters", type=int, default=0)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dispatch", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    add_smoke_flag(parser)
    args = parser.parse_args()
    if args.smoke:
        args.messages, args.letters = 20, 2
    if args.serve:
        serve(args.serve, Path(args.out))
        return
    if args.dispatch:
        dispatch_here()
        return
    port = free_port()
    FOLDER.mkdir(parents=True, exist_ok=True)
    received_file = FOLDER / "received.json"
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--out", str(received_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        setup_django(args.db, port)
        load(args.messages, args.letters)
        print(f"== {args.messages:,} e-mails on {args.db}, {args.workers} worker(s)", flush=True)
        if args.workers > 1:
            seconds, sent = in_processes(args.workers)
        else:
            seconds, report = timed("email")
            sent = report.sent
        print(f"  {sent:,} sent in {seconds:.2f} s: {sent / seconds:,.0f} per second")
        figures = {"e-mails sent": sent, "e-mails per second": round(sent / seconds, 1)}
        if args.letters:
            seconds, report = timed("letter")
            print(
                f"== {args.letters:,} letters: {report.sent:,} in {seconds:.2f} s:"
                f" {report.sent / seconds:,.1f} per second"
            )
            figures["letters per second"] = round(report.sent / seconds, 1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    received = Counter(json.loads(received_file.read_text()))
    twice = sum(1 for count in received.values() if count > 1)
    print(f"  the server received {len(received):,} touchpoints, {twice} of them more than once")
    figures["touchpoints received more than once"] = twice
    sizes = {"db": args.db, "e-mails": args.messages, "letters": args.letters,
             "workers": args.workers}  # fmt: skip
    record(f"dispatch-{args.db}", sizes, figures, smoke=args.smoke)
    if twice or len(received) != sent:
        sys.exit(f"the server received {len(received):,} touchpoints for {sent:,} sent")


if __name__ == "__main__":
    main()
