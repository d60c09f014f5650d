"""Benchmark: the public answer page under load, and NPS figures over 1,000,000 responses.

    .venv/bin/python bench/feedback.py [--db postgres|sqlite] [--clients 200] [--seconds 20]
                                       [--responses 1000000] [--invitations 200000]
                                       [--part all|load|nps] [--flow both|whole|confirm]
                                       [--workers 2] [--threads 1]
                                       [--conn-max-age 60] [--keep]

(a) Confirmed responses per second. Sets up a fresh database with N relations, one sent
touchpoint and one invitation (instrument nps-contact) each, starts gunicorn with 2
workers on a free port of 127.0.0.1 and runs a load generator of its own (asyncio, plain
HTTP/1.1, no third-party client) with --clients concurrent clients, for two flows in turn:
- whole: each client takes the next unused invitation, GETs /a/<token>/?score=N as the link
  in the e-mail does (a provisional answer, the CSRF cookie and the form's hidden token),
  then POSTs the answer;
- confirm: the answer endpoint alone. Each client views one page first, as a browser does,
  for its CSRF cookie and form token, then POSTs answers to one unused invitation after
  another.
A 302 to the thank-you page is a confirmed response. After a warm-up each flow counts
--seconds seconds; then the database is checked: every confirmation that got a 302 must be
there as a confirmed response, exactly once, with its survey.answered event.
The per-client rate limit (KOERS_FEEDBACK_PER_MINUTE) is switched off (0), since every
client comes from 127.0.0.1. For comparison, one request path is timed in-process with
Django's test client, with the database connection per request (as configured) and kept.
--threads tries threaded workers; --conn-max-age sets how long a database connection is
kept between requests (KOERS_DB_CONN_MAX_AGE; Koers keeps them 60 s, 0 opens one a request).

(b) NPS over --responses confirmed responses of one instrument (nps-relatie): times
koers.feedback.queries.overall and nps_breakdown by "channel" and "month", each twice, and
the same figures counted in SQL (GROUP BY with filtered counts), checking they agree; and
the trend per month (queries.results_trend), which the database counts already.

The database koers_bench_feedback on postgres://postgres@127.0.0.1:5432 (trust auth) is
created afresh and dropped at the end (--keep keeps it). Other work on the machine shares
its cores with the run: the CPU split shows how much of them the run had.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bench_figures import add_smoke_flag, record

_HERE = Path(__file__).resolve().parent

ROOT = _HERE.parent
OUT = ROOT / "bench" / "out"
FOLDER = OUT / "feedback"
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "koers_bench_feedback"
AMS = ZoneInfo("Europe/Amsterdam")
MADE = datetime(2026, 5, 1, 9, tzinfo=AMS)
ANSWERED_FROM = datetime(2024, 6, 1, tzinfo=AMS)  # (b): answers spread over two years
TWO_YEARS = 2 * 365 * 24 * 3600
LOAD_INSTRUMENT, NPS_INSTRUMENT = "nps-contact", "nps-relatie"
PROFILE_PAIRS = 200  # the last invitations, kept from the load for the in-process timing
DB_FLOOR = 2000  # invitations confirmed without HTTP, to see the database's own share
WARMUP = 3.0
HIDDEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
MET = {True: "met", False: "NOT met"}


# ---------------------------------------------------------------- environment and database


def bench_env(db: str) -> None:
    """The settings of every process of the run, the server's included."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "koers.settings",
            "KOERS_VAR_DIR": str(FOLDER),
            "KOERS_DEBUG": "false",
            # The tokens are signed in the set-up process and opened by the server.
            "KOERS_SECRET_KEY": "koers-bench-feedback-not-a-real-secret",
            "KOERS_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Every client of the load comes from 127.0.0.1: the per-client limit is off.
            "KOERS_FEEDBACK_PER_MINUTE": "0",
        }
    )
    if db == "postgres":
        os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    else:
        os.environ.pop("DATABASE_URL", None)


def psql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", f"{PG}/{database}", "-Atqc", sql], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def drop_database(db: str) -> None:
    if db == "postgres":
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    else:
        for suffix in ("", "-wal", "-shm"):
            (FOLDER / f"koers.sqlite3{suffix}").unlink(missing_ok=True)


def fresh_database(db: str) -> None:
    drop_database(db)
    if db == "postgres":
        psql(f"CREATE DATABASE {DB_NAME}")


def setup_django() -> None:
    import django

    django.setup()


# ---------------------------------------------------------------- bulk load (own process)


class Sql:
    """The few SQL pieces that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def series(self) -> str:
        """A CTE s(n) of 1..%s (bigint: n times a prime must not overflow)."""
        if self.pg:
            return "WITH s(n) AS (SELECT generate_series(1::bigint, %s::bigint))"
        return "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s)"

    def json(self) -> str:
        return "'{}'::jsonb" if self.pg else "'{}'"

    def moment(self, seconds: str) -> str:
        """A start moment (a parameter) plus `seconds` seconds."""
        if self.pg:
            return f"(%s::timestamptz + ({seconds}) * interval '1 second')"
        return f"datetime(%s, '+' || ({seconds}) || ' seconds')"

    def start(self, at: datetime) -> Any:
        if self.pg:
            return at
        return at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")

    def text(self, expression: str) -> str:
        return f"CAST({expression} AS TEXT)"


def load(invitations: int, responses: int) -> dict[str, Any]:
    """Relations, touchpoints and invitations for (a), confirmed responses for (b)."""
    from django.db import connection, transaction

    from koers.feedback.models import Instrument

    sql = Sql(connection.vendor)
    load_id = Instrument.objects.get(key=LOAD_INSTRUMENT).pk
    nps_id = Instrument.objects.get(key=NPS_INSTRUMENT).pk
    relations = max(invitations, 1)
    phases: dict[str, float] = {}
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"{sql.series()} INSERT INTO relations_relation (id, external_id, kind, salutation,"
            " initials, first_name, infix, last_name, organisation_name, email, phone, street,"
            " house_number, postcode, city, country, language, status, preferred_channel,"
            f" created_at, updated_at) SELECT n, 'R' || {sql.text('n')}, 'person', '', '',"
            f" 'Anna', '', 'Berg', '', 'r' || {sql.text('n')} || '@example.nl', '0612345678',"
            " 'Laan', '1', '1234AB', 'Utrecht', 'NL', 'nl', 'active', 'email', %s, %s FROM s",
            [relations, MADE, MADE],
        )
        phases["relations"] = time.perf_counter() - began
        mark = time.perf_counter()
        cursor.execute(
            f"{sql.series()} INSERT INTO touchpoints_touchpoint (id, relation_id, source,"
            " occurrence, step, channel, nature, content, role, pressure, planned_at, status,"
            " skip_reason, sent_at, outcome, attempts, error, created_at)"
            f" SELECT n, n, 'bench:feedback', {sql.text('n')}, '', 'email', 'survey',"
            f" {sql.json()}, '', 'defer', %s, 'sent', '', %s, '', 1, '', %s FROM s",
            [invitations, MADE, MADE, MADE],
        )
        cursor.execute(
            f"{sql.series()} INSERT INTO feedback_invitation (id, touchpoint_id, instrument_id,"
            f" relation_id, code, created_at) SELECT n, n, %s, n, 'b' || {sql.text('n')}, %s"
            " FROM s",
            [invitations, load_id, MADE],
        )
        phases["touchpoints and invitations"] = time.perf_counter() - mark
        mark = time.perf_counter()
        if responses:
            # Scores lean to the top like real NPS answers; a few channels; two years of months.
            cursor.execute(
                f"{sql.series()} INSERT INTO feedback_response (instrument_id, relation_id, score,"
                " answers, comment, status, source, channel, language, answered_at, confirmed_at)"
                " SELECT %s, 1 + (n - 1) %% %s,"
                " CASE WHEN n %% 100 < 45 THEN 9 + (n / 100) %% 2"
                "  WHEN n %% 100 < 75 THEN 7 + (n / 100) %% 2 ELSE (n / 100) %% 7 END,"
                f" {sql.json()}, '', 'confirmed', 'import',"
                " CASE n %% 20 WHEN 0 THEN 'letter' WHEN 1 THEN 'card' WHEN 2 THEN 'phone'"
                "  WHEN 3 THEN '' ELSE 'email' END, 'nl',"
                f" {sql.moment('(n * 7919) %% ' + str(TWO_YEARS))},"
                f" {sql.moment('(n * 7919) %% ' + str(TWO_YEARS))} FROM s",
                [responses, nps_id, relations, *[sql.start(ANSWERED_FROM)] * 2],
            )
        phases["responses"] = time.perf_counter() - mark
        mark = time.perf_counter()
        if sql.pg:
            for table in (
                "relations_relation",
                "touchpoints_touchpoint",
                "feedback_invitation",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT max(id) FROM {table}))"
                )
    phases["sequences and commit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if sql.pg else "ANALYZE")
        if sql.pg:  # write the bulk load out now, not during the measured window
            cursor.execute("CHECKPOINT")
    phases["analyze"] = time.perf_counter() - mark
    mark = time.perf_counter()
    from koers.feedback.tokens import token_for

    with (FOLDER / "tokens.txt").open("w") as tokens:
        for number in range(1, invitations + 1):
            tokens.write(f"{number} {token_for(number, f'b{number}')}\n")
    phases["tokens"] = time.perf_counter() - mark
    return {
        "seconds": round(time.perf_counter() - began, 1),
        "phases": {name: round(spent, 1) for name, spent in phases.items()},
    }


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    port: int, workers: int, threads: int, conn_max_age: int, app: str = "koers.wsgi:application"
) -> subprocess.Popen:
    os.environ["KOERS_DB_CONN_MAX_AGE"] = str(conn_max_age)  # read by koers/settings.py
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", "gthread" if threads > 1 else "sync",
               "--threads", str(threads), "--no-control-socket", "--log-level", "warning",
               "--error-logfile", str(FOLDER / "gunicorn.log")]  # fmt: skip
    # No --access-logfile: gunicorn writes no access log unless asked.
    server = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up: see {FOLDER / 'gunicorn.log'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                if probe.recv(12).startswith(b"HTTP/1."):
                    time.sleep(1)  # let the second worker boot as well
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 seconds")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ---------------------------------------------------------------- CPU accounting (/proc)

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def process_cpu(pid: int, children_done: bool = False) -> float:
    """CPU seconds of a process (and of its children it has reaped, if asked)."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children_done:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICK


def children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK, sum(values[:8]) / TICK


def postmaster_pid() -> int | None:
    """The local PostgreSQL server's main process, if it runs on this machine."""
    try:
        folder = psql("SHOW data_directory")
        return int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError, subprocess.CalledProcessError):
        return None


@dataclass
class CpuSample:
    at: float
    server: dict[int, float]
    postgres: dict[int, float]
    postmaster: float
    load: float
    machine: tuple[float, float]


def sample_cpu(server: int, postmaster: int | None) -> CpuSample:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    pg_children = children(postmaster) if postmaster else []
    return CpuSample(
        at=time.monotonic(),
        server={pid: process_cpu(pid) for pid in [server, *children(server)]},
        postgres={pid: process_cpu(pid) for pid in pg_children},
        postmaster=process_cpu(postmaster, children_done=True) if postmaster else 0.0,
        load=usage.ru_utime + usage.ru_stime,
        machine=machine_cpu(),
    )


def cpu_split(first: CpuSample, last: CpuSample, has_pg: bool) -> dict[str, Any]:
    """Cores used, on average over the window, by each part of the run."""
    wall = last.at - first.at

    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        # Processes present at both samples; PostgreSQL's ended backends are in postmaster.
        return sum(after[pid] - before[pid] for pid in after if pid in before)

    busy = last.machine[0] - first.machine[0]
    cores = (last.machine[1] - first.machine[1]) / wall
    split = {
        "server": spent(first.server, last.server) / wall,
        "load generator": (last.load - first.load) / wall,
    }
    if has_pg and last.postmaster:
        split["postgresql (whole server)"] = (
            spent(first.postgres, last.postgres) + last.postmaster - first.postmaster
        ) / wall
    split["rest of the machine"] = max(0.0, busy / wall - sum(split.values()))
    return {"cores": round(cores, 2), "busy": round(busy / wall, 2),
            "split": {name: round(value, 2) for name, value in split.items()}}  # fmt: skip


# ---------------------------------------------------------------- the load generator


class Http:
    """One client's HTTP/1.1 connection: kept alive when the server allows, else renewed."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], list[str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        found: dict[str, str] = {}
        cookies: list[str] = []
        for line in head[1:]:
            name, _, value = line.partition(":")
            if not name:
                continue
            if name.lower() == "set-cookie":
                cookies.append(value.strip())
            else:
                found[name.lower()] = value.strip()
        if "content-length" in found:
            content = await self.reader.readexactly(int(found["content-length"]))
        elif found.get("transfer-encoding", "").lower() == "chunked":
            content = await self._chunked()
        else:
            content = await self.reader.read()
            found["connection"] = "close"
        if found.get("connection", "").lower() == "close":
            self.close()
        return status, found, cookies, content

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readline()).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


@dataclass
class Load:
    """The state of a load run: invitations to hand out and what came back."""

    host: str
    port: int
    flow: str  # "whole": the page with the clicked score, then the form; "confirm": the form
    tokens: list[tuple[int, str]]
    # "confirm": a page per client, only for its CSRF cookie and form token (not answered)
    pages: list[tuple[int, str]] = field(default_factory=list)
    timeout: float = 60.0
    handed: int = 0
    stopping: bool = False
    exhausted: bool = False
    # (finished at, seconds, method, outcome): outcome "ok" (GET 200, POST 302) or else
    done: list[tuple[float, float, str, str]] = field(default_factory=list)
    confirmed: list[int] = field(default_factory=list)  # invitations answered with a 302
    unsure: list[int] = field(default_factory=list)  # POSTs without a reply (may have landed)
    errors: Counter[str] = field(default_factory=Counter)

    def next(self) -> tuple[int, str] | None:
        if self.handed >= len(self.tokens):
            self.exhausted = True
            return None
        self.handed += 1
        return self.tokens[self.handed - 1]

    async def timed(
        self, http: Http, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], list[str], bytes] | None:
        began = time.monotonic()
        try:
            reply = await asyncio.wait_for(
                http.request(method, path, headers, body), timeout=self.timeout
            )
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                TimeoutError, ValueError, IndexError) as problem:  # fmt: skip
            http.close()
            self.errors[f"{method} {type(problem).__name__}"] += 1
            self.done.append((time.monotonic(), time.monotonic() - began, method, "error"))
            return None
        ended = time.monotonic()
        good = 200 if method == "GET" else 302
        self.done.append((ended, ended - began, method, "ok" if reply[0] == good else "other"))
        return reply

    async def client(self, number: int) -> None:
        http = Http(self.host, self.port)
        try:
            csrf = None
            if self.flow == "confirm":
                # A browser keeps its CSRF cookie: one page view gives the pair for every form.
                csrf = await self.page(http, f"/a/{self.pages[number][1]}/")
                if csrf is None:
                    return
            while not self.stopping:
                item = self.next()
                if item is None:
                    return
                await self.answer(http, *item, csrf)
        finally:
            http.close()

    async def page(self, http: Http, path: str) -> tuple[str, str] | None:
        """GET an answer page: its CSRF cookie and the form's hidden token."""
        reply = await self.timed(http, "GET", path, {})
        if reply is None:
            return None
        status, _, cookies, content = reply
        hidden = HIDDEN.search(content)
        cookie = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), None)
        if status != 200 or hidden is None or cookie is None:
            self.errors[f"GET {status}{'' if hidden else ' without form'}"] += 1
            return None
        return cookie, hidden.group(1).decode()

    async def answer(
        self, http: Http, invitation: int, token: str, csrf: tuple[str, str] | None
    ) -> None:
        path = f"/a/{token}/"
        score = (invitation * 7) % 11
        if csrf is None:  # the whole answer: the score clicked in the e-mail opens the page
            csrf = await self.page(http, f"{path}?score={score}")
            if csrf is None or self.stopping:
                return
        cookie, hidden = csrf
        form = {"csrfmiddlewaretoken": hidden, "taal": "nl", "score": str(score),
                "comment": "Prima geholpen." if score > 8 else ""}  # fmt: skip
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        reply = await self.timed(http, "POST", path, headers, urlencode(form).encode())
        if reply is None:
            self.unsure.append(invitation)
        elif reply[0] == 302 and "/bedankt/" in reply[1].get("location", ""):
            self.confirmed.append(invitation)
        elif reply[0] == 200 and b"beantwoord" in reply[3]:
            self.errors["POST answered before"] += 1
        else:
            self.errors[f"POST {reply[0]}"] += 1


async def run_load(
    load: Load, clients: int, seconds: float, server: int, postmaster: int | None
) -> dict[str, Any]:
    began = time.monotonic()
    tasks = [asyncio.create_task(load.client(n)) for n in range(clients)]
    await asyncio.sleep(WARMUP)
    first = sample_cpu(server, postmaster)
    await asyncio.sleep(seconds)
    last = sample_cpu(server, postmaster)
    load.stopping = True
    _, pending = await asyncio.wait(tasks, timeout=load.timeout + 5)
    for task in pending:
        task.cancel()
    return {"began": began, "window": (first.at, last.at), "cpu": (first, last)}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


FLOWS = {
    "whole": "the whole answer: the page with the score clicked in the e-mail, then the form",
    "confirm": "the answer endpoint: the form's POST, the page seen before",
}


def measure_load(args: argparse.Namespace) -> dict[str, Any]:
    """Each flow in turn against one server, on invitations of its own."""
    rows = (FOLDER / "tokens.txt").read_text().split("\n")
    tokens = [(int(n), token) for n, token in (row.split(" ") for row in rows if row)]
    kept, tokens = tokens[-PROFILE_PAIRS:], tokens[:-PROFILE_PAIRS]
    (FOLDER / "profile-tokens.json").write_text(json.dumps(kept))
    pages, tokens = tokens[: args.clients], tokens[args.clients :]
    reserved, tokens = tokens[:DB_FLOOR], tokens[DB_FLOOR:]
    (FOLDER / "db-floor-tokens.json").write_text(json.dumps(reserved))
    flows = list(FLOWS) if args.flow == "both" else [args.flow]
    share = len(tokens) // len(flows)
    port = free_port()
    server = start_server(port, args.workers, args.threads, args.conn_max_age)
    postmaster = postmaster_pid() if args.db == "postgres" else None
    found: dict[str, Any] = {}
    confirmed: list[int] = []
    unsure: list[int] = []
    try:
        for number, flow in enumerate(flows):
            mine = tokens[number * share : (number + 1) * share]
            load = Load("127.0.0.1", port, flow, mine, pages)
            ran = asyncio.run(run_load(load, args.clients, args.seconds, server.pid, postmaster))
            found[flow] = figures(load, ran, postmaster is not None)
            confirmed += load.confirmed
            unsure += load.unsure
    finally:
        stop_server(server)
    # The floor: the same confirm flow against a WSGI application that does nothing.
    floor = start_server(port, args.workers, args.threads, 0, "bench.wsgi_floor:application")
    try:
        load = Load("127.0.0.1", port, "confirm", tokens[:200_000], pages)
        ran = asyncio.run(run_load(load, args.clients, args.seconds, floor.pid, None))
        found["floor"] = figures(load, ran, False)
    finally:
        stop_server(floor)
    (FOLDER / "confirmed.json").write_text(json.dumps(confirmed))
    (FOLDER / "unsure.json").write_text(json.dumps(unsure))
    return found


def figures(load: Load, ran: dict[str, Any], has_pg: bool) -> dict[str, Any]:
    start, end = ran["window"]
    inside = [row for row in load.done if start <= row[0] < end]
    wall = end - start
    gets = [row[1] for row in inside if row[2] == "GET" and row[3] == "ok"]
    posts = [row[1] for row in inside if row[2] == "POST" and row[3] == "ok"]
    return {
        "window_s": round(wall, 2),
        "confirmed_in_window": len(posts),
        "confirmed_per_s": round(len(posts) / wall, 1),
        "requests_per_s": round(len(inside) / wall, 1),
        "get_ms": [round(1000 * percentile(gets, p), 1) for p in (0.5, 0.95)],
        "post_ms": [round(1000 * percentile(posts, p), 1) for p in (0.5, 0.95)],
        "errors_in_window": sum(1 for row in inside if row[3] != "ok"),
        "errors": dict(load.errors),
        "confirmed_total": len(load.confirmed),
        "unsure_total": len(load.unsure),
        "handed_out": load.handed,
        "ran_out": load.exhausted,
        "cpu": cpu_split(ran["cpu"][0], ran["cpu"][1], has_pg=has_pg),
    }


# ---------------------------------------------------------------- verification and profile


def verify() -> dict[str, Any]:
    """Every 302 is a confirmed response, once, with one survey.answered event."""
    from django.db.models import Count

    from koers.feedback.choices import ResponseStatus
    from koers.feedback.models import Instrument, Response
    from koers.relations.choices import EventKind
    from koers.relations.models import Event

    acknowledged = json.loads((FOLDER / "confirmed.json").read_text())
    unsure = set(json.loads((FOLDER / "unsure.json").read_text()))
    instrument = Instrument.objects.get(key=LOAD_INSTRUMENT)
    answers = Response.objects.filter(instrument=instrument)
    stored = list(
        answers.filter(status=ResponseStatus.CONFIRMED).values_list("invitation_id", flat=True)
    )
    stored_set = set(stored)
    acked_set = set(acknowledged)
    events = Counter(
        Event.objects.filter(kind=EventKind.SURVEY_ANSWERED).values_list("relation_id", flat=True)
    )
    return {
        "acknowledged": len(acknowledged),
        "acknowledged_twice": len(acknowledged) - len(acked_set),
        "confirmed_in_db": len(stored),
        "lost": len(acked_set - stored_set),
        "duplicated": (
            answers.values("invitation_id").annotate(n=Count("id")).filter(n__gt=1).count()
            + len(stored)
            - len(stored_set)
        ),
        "confirmed_without_reply": len(stored_set - acked_set),
        "of_which_unanswered_posts": len((stored_set - acked_set) & unsure),
        "provisional": answers.exclude(status=ResponseStatus.CONFIRMED).count(),
        # Invitation n belongs to relation n: one event per confirmed response.
        "events_missing": sum(1 for n in stored_set if events[n] == 0),
        "events_extra": sum(count - 1 for count in events.values() if count > 1)
        + sum(1 for n in events if n not in stored_set),
    }


def profile(conn_max_age: int) -> dict[str, Any]:
    """GET and POST of the answer page through Django's test client, in this process: the
    application's own time per request, without HTTP server or load generator."""
    from django.db import connection
    from django.test import Client

    pairs = json.loads((FOLDER / "profile-tokens.json").read_text())
    half = len(pairs) // 2
    chosen = pairs[:half] if conn_max_age == 0 else pairs[half:]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = conn_max_age
    statements = {"GET": [0, 0.0], "POST": [0, 0.0]}
    method = ["GET"]

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[method[0]][0] += 1
            statements[method[0]][1] += time.perf_counter() - began

    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    spent: dict[str, list[tuple[float, float]]] = {"GET": [], "POST": []}
    for number, (invitation, token) in enumerate(chosen):
        path = f"/a/{token}/"
        with connection.execute_wrapper(watch):
            method[0] = "GET"
            wall, cpu = time.perf_counter(), time.process_time()
            page = client.get(path, {"score": str(invitation % 11)})
            if not conn_max_age:  # as the server does at the end of each request
                connection.close()
            spent["GET"].append((time.perf_counter() - wall, time.process_time() - cpu))
            hidden = HIDDEN.search(page.content)
            assert page.status_code == 200 and hidden, page.status_code
            method[0] = "POST"
            form = {"csrfmiddlewaretoken": hidden.group(1).decode(), "taal": "nl",
                    "score": str(invitation % 11), "comment": ""}  # fmt: skip
            wall, cpu = time.perf_counter(), time.process_time()
            done = client.post(path, form)
            if not conn_max_age:
                connection.close()
            spent["POST"].append((time.perf_counter() - wall, time.process_time() - cpu))
            assert done.status_code == 302, done.status_code
        if number == 4:  # the first few warm caches and imports
            spent = {"GET": [], "POST": []}
            statements = {"GET": [0, 0.0], "POST": [0, 0.0]}
    connection.close()
    result = {}
    for name, rows in spent.items():
        count = len(rows)
        result[name] = {
            "wall_ms": round(1000 * statistics.median(r[0] for r in rows), 2),
            "cpu_ms": round(1000 * statistics.median(r[1] for r in rows), 2),
            "statements": round(statements[name][0] / count, 1),
            "sql_ms": round(1000 * statements[name][1] / count, 2),
        }
    return result


def db_floor() -> dict[str, Any]:
    """The database work of confirmed answers alone, one after another in this process:
    Koers's own read and confirm (koers.feedback.actions), no HTTP, no template. The CPU
    PostgreSQL spends on them is read from /proc, its whole server included."""
    from django.db import connection
    from django.utils import timezone

    from koers.feedback import actions
    from koers.feedback.models import Invitation

    chosen = json.loads((FOLDER / "db-floor-tokens.json").read_text())
    postmaster = postmaster_pid() if connection.vendor == "postgresql" else None
    connection.ensure_connection()

    def postgres_cpu() -> float:
        if postmaster is None:
            return 0.0
        live = sum(process_cpu(pid) for pid in children(postmaster))
        return live + process_cpu(postmaster, children_done=True)

    first, cpu, wall = postgres_cpu(), time.process_time(), time.perf_counter()
    for invitation, _ in chosen:
        asked = Invitation.objects.asked(invitation, f"b{invitation}")
        assert asked is not None
        answer = actions.Answer(score=invitation % 11, comment="")
        actions.confirm(asked, answer, timezone.now(), "nl")
    count = len(chosen)
    return {
        "answers": count,
        "wall_ms": round(1000 * (time.perf_counter() - wall) / count, 3),
        "python_cpu_ms": round(1000 * (time.process_time() - cpu) / count, 3),
        "postgres_cpu_ms": round(1000 * (postgres_cpu() - first) / count, 3),
    }


# ---------------------------------------------------------------- (b) NPS over 1,000,000


def sql_breakdown(instrument: Any, by: str) -> Any:
    """The same figures as queries.nps_breakdown/overall, counted by the database: one row
    per key with promoters, passives and detractors, instead of a row per response."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import TruncMonth

    from koers.feedback.queries import confirmed
    from koers.feedback.stats import nps_from_counts

    counts = {
        "promoters": Count("id", filter=Q(score__gte=9)),
        "passives": Count("id", filter=Q(score__gte=7, score__lte=8)),
        "detractors": Count("id", filter=Q(score__lte=6)),
    }
    rows = confirmed(instrument).order_by()
    if by == "overall":
        return nps_from_counts(**rows.aggregate(**counts), minimum=instrument.minimum_n)
    key = TruncMonth("answered_at") if by == "month" else F("channel")
    found: dict[str, list[int]] = {}
    for row in rows.annotate(key=key).values("key").annotate(**counts):
        name = f"{row['key']:%Y-%m}" if by == "month" else (row["key"] or "onbekend")
        total = found.setdefault(name, [0, 0, 0])
        for place, band in enumerate(counts):
            total[place] += row[band]
    return {
        name: nps_from_counts(*found[name], minimum=instrument.minimum_n) for name in sorted(found)
    }


def measure_nps() -> dict[str, Any]:
    from koers.feedback.models import Instrument
    from koers.feedback.queries import confirmed, nps_breakdown, overall, results_trend

    instrument = Instrument.objects.get(key=NPS_INSTRUMENT)
    calls: dict[str, Callable[[], Any]] = {
        "overall": lambda: overall(instrument),
        "channel": lambda: nps_breakdown(instrument, "channel"),
        "month": lambda: nps_breakdown(instrument, "month"),
        "trend": lambda: results_trend(instrument, "month"),
    }
    figures: dict[str, Any] = {"responses": confirmed(instrument).count()}
    for name, call in calls.items():
        times, results = [], []
        kinds = [("python", call)]
        if name != "trend":  # the trend is counted in SQL already; it has no second version
            kinds.append(("sql", lambda n=name: sql_breakdown(instrument, n)))
        for kind, function in kinds:
            for _ in range(2):
                began = time.perf_counter()
                results.append((kind, function()))
                times.append((kind, time.perf_counter() - began))
        figures[name] = {
            "python_s": [round(t, 3) for kind, t in times if kind == "python"],
            "sql_s": [round(t, 3) for kind, t in times if kind == "sql"],
            "agree": len(results) < 4 or results[0][1] == results[2][1],
            "keys": len(results[0][1]) if isinstance(results[0][1], dict | list) else 1,
        }
    figures["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


# ---------------------------------------------------------------- the run


def child(part: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one part in a process of its own; its figures come back through a JSON file."""
    sizes = ["--invitations", str(args.invitations), "--responses", str(args.responses)]
    command = [sys.executable, __file__, "--only", part, "--db", args.db, *sizes]
    subprocess.run(command, check=True)
    return dict(json.loads((FOLDER / f"{part}.json").read_text()))


def only(part: str, args: argparse.Namespace) -> None:
    setup_django()
    if part == "setup":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        figures = load(args.invitations, args.responses)
    elif part == "verify":
        figures = {"check": verify(), "per_request": profile(0), "kept": profile(60),
                   "db_floor": db_floor()}  # fmt: skip
    else:
        figures = measure_nps()
    (FOLDER / f"{part}.json").write_text(json.dumps(figures, indent=2))


def shrink_for_smoke(args: argparse.Namespace) -> None:
    """A tiny run on SQLite that goes through every part in a few seconds."""
    global WARMUP, DB_FLOOR
    WARMUP, DB_FLOOR = 0.5, 20
    args.db, args.clients, args.seconds, args.workers, args.threads = "sqlite", 4, 1.0, 1, 2
    args.invitations, args.responses = PROFILE_PAIRS + 600, 300


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument(
        "--invitations", type=int, default=200_000, help="invitations to answer (one each)"
    )
    parser.add_argument("--part", choices=["all", "load", "nps"], default="all")
    parser.add_argument(
        "--flow", choices=["both", *FLOWS], default="both", help="which answer flow(s) to load"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (more than 1: gthread)"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="keep each worker's database connection this many seconds (KOERS_DB_CONN_MAX_AGE;"
        " default 60 as in Koers; 0: one connection per request)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--only", choices=["setup", "verify", "nps"], help=argparse.SUPPRESS)
    add_smoke_flag(parser)
    args = parser.parse_args()
    if args.smoke:
        shrink_for_smoke(args)
    bench_env(args.db)
    if args.only:
        only(args.only, args)
        return
    if args.part == "nps":
        args.invitations = PROFILE_PAIRS
    if args.part == "load":
        args.responses = 0
    print(f"== feedback benchmark on {args.db}", flush=True)
    fresh_database(args.db)
    loaded = child("setup", args)
    print(f"  loaded {args.invitations:,} invitations and {args.responses:,} responses in"
          f" {loaded['seconds']} s {loaded['phases']}", flush=True)  # fmt: skip
    results: dict[str, Any] = {"db": args.db, "setup": loaded}
    try:
        if args.part in ("all", "load"):
            print(f"  load: {args.clients} clients, gunicorn {args.workers} workers"
                  f" x {args.threads} thread(s), {WARMUP:.0f} s warm-up + {args.seconds:g} s",
                  flush=True)  # fmt: skip
            results["load"] = measure_load(args)
            results["verify"] = child("verify", args)
            report_load(args, results["load"], results["verify"])
        if args.part in ("all", "nps"):
            results["nps"] = child("nps", args)
            report_nps(results["nps"])
    finally:
        (OUT / f"feedback-{args.db}.json").write_text(json.dumps(results, indent=2))
        if not args.keep:
            drop_database(args.db)
    figures = record(f"feedback-{args.db}", sizes_of(args), figures_of(results), smoke=args.smoke)
    if figures.get("answers lost") or figures.get("answers duplicated"):
        sys.exit("answers were lost or counted twice")


def sizes_of(args: argparse.Namespace) -> dict[str, Any]:
    return {"db": args.db, "part": args.part, "clients": args.clients, "seconds": args.seconds,
            "gunicorn workers": args.workers, "threads": args.threads,
            "invitations": args.invitations, "responses": args.responses}  # fmt: skip


def figures_of(results: dict[str, Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    load = results.get("load", {})
    for flow, title in (("confirm", "answer endpoint"), ("whole", "whole answer")):
        if flow in load:
            figures[f"{title}: confirmed answers per second"] = load[flow]["confirmed_per_s"]
    if "verify" in results:
        figures["answers lost"] = results["verify"]["check"]["lost"]
        figures["answers duplicated"] = results["verify"]["check"]["duplicated"]
    for name, found in results.get("nps", {}).items():
        if isinstance(found, dict) and "python_s" in found:
            figures[f"NPS {name} (s)"] = max(found["python_s"])
    return figures


def report_load(args: argparse.Namespace, load: dict[str, Any], check: dict[str, Any]) -> None:
    verified, per_request, kept = check["check"], check["per_request"], check["kept"]
    safe = verified["lost"] == 0 and verified["duplicated"] == 0
    worker = "gthread" if args.threads > 1 else "sync"
    connections = f"kept {args.conn_max_age} s" if args.conn_max_age else "one per request"
    print(f"\n== (a) answer page under load on {args.db}: gunicorn {args.workers} {worker}"
          f" workers x {args.threads} thread(s), db connection {connections}")  # fmt: skip
    print("   KOERS_FEEDBACK_PER_MINUTE=0: the per-client rate limit is off for this run")
    print(f"clients                     {args.clients:>10}")
    flows = {flow: found for flow, found in load.items() if flow in FLOWS}
    for flow, found in flows.items():
        report_flow(FLOWS[flow], found)
    confirmed = sum(found["confirmed_total"] for found in flows.values())
    print(f"\nconfirmed (302), all flows  {confirmed:>10,}")
    print(f"  in the database           {verified['confirmed_in_db']:>10,}")
    print(f"  lost                      {verified['lost']:>10}  (target 0: {MET[safe]})")
    print(f"  duplicated                {verified['duplicated']:>10}")
    print(f"  acknowledged twice        {verified['acknowledged_twice']:>10}")
    unsure = verified["of_which_unanswered_posts"]
    print(f"  confirmed without a 302   {verified['confirmed_without_reply']:>10}"
          f"  ({unsure} of them POSTs that got no reply)")  # fmt: skip
    print(f"  provisional left          {verified['provisional']:>10}")
    print(f"  survey.answered missing / extra {verified['events_missing']:>4} /"
          f" {verified['events_extra']}")  # fmt: skip
    print("\n== the floors under (a) on this machine")
    report_flow(
        "gunicorn and the load generator alone: the confirm flow against a WSGI application"
        " that does nothing (bench/wsgi_floor.py)",
        load["floor"],
    )
    floor = check["db_floor"]
    print(f"\n-- the database alone: {floor['answers']:,} answers read and confirmed by"
          " koers.feedback.actions one after another, no HTTP")  # fmt: skip
    print(f"  per answer: {floor['wall_ms']} ms wall, {floor['python_cpu_ms']} ms Python CPU,"
          f" {floor['postgres_cpu_ms']} ms PostgreSQL CPU")  # fmt: skip
    print("one request in-process (Django test client, median, no HTTP server):")
    for label, figures in (("db connection per request", per_request), ("connection kept", kept)):
        for name, spent in figures.items():
            print(f"  {name:<4} {label:<26} {spent['wall_ms']:>6} ms wall, {spent['cpu_ms']:>6} ms"
                  f" CPU, {spent['statements']} statements in {spent['sql_ms']} ms")  # fmt: skip


def report_flow(title: str, load: dict[str, Any]) -> None:
    rate = load["confirmed_per_s"]
    print(f"\n-- {title}")
    print(f"measured window             {load['window_s']:>10} s (after {WARMUP:g} s warm-up)")
    print(f"confirmed responses per s   {rate:>10}  (target >= 1,000: {MET[rate >= 1000]})")
    print(f"requests per s              {load['requests_per_s']:>10}")
    if load["get_ms"][0] == load["get_ms"][0]:  # not NaN: the flow GETs pages
        print(f"GET  latency p50 / p95      {load['get_ms'][0]:>7} / {load['get_ms'][1]} ms")
    print(f"POST latency p50 / p95      {load['post_ms'][0]:>7} / {load['post_ms'][1]} ms")
    print(f"errors in window            {load['errors_in_window']:>10}  {load['errors'] or ''}")
    if load["ran_out"]:
        print(f"   ran out of invitations after {load['handed_out']:,}: raise --invitations")
    cpu = load["cpu"]
    print(f"CPU over the window         {cpu['busy']} of {cpu['cores']} cores busy:")
    for name, cores in cpu["split"].items():
        share = cores / rate * 1000 if rate else float("nan")
        print(f"  {name:<26}{cores:>6} cores  {share:>6.2f} ms CPU per confirmed response")
    own = sum(cores for name, cores in cpu["split"].items() if name != "rest of the machine")
    if rate and own:
        per, cores = own / rate * 1000, cpu["cores"]
        print(f"  the run's own CPU: {per:.2f} ms per confirmed response, so at most"
              f" {cores * 1000 / per:,.0f} confirmed/s on {cores:g} idle cores")  # fmt: skip


def report_nps(figures: dict[str, Any]) -> None:
    print(f"\n== (b) NPS over {figures['responses']:,} confirmed responses of one instrument")
    print("   times: first call / repeat; python = koers.feedback.queries, sql = counted in SQL")
    for name in ("overall", "channel", "month", "trend"):
        found = figures[name]
        python, sql = found["python_s"], found["sql_s"]
        line = (
            f"{name:<8} ({found['keys']:>2} keys)  python {python[0]:>7.3f} / {python[1]:.3f} s"
            f"  (target < 1 s: {MET[max(python) < 1]})"
        )
        if sql:
            same = "yes" if found["agree"] else "NO"
            line += f"   sql {sql[0]:>6.3f} / {sql[1]:.3f} s  (< 1 s: {MET[max(sql) < 1]})"
            line += f"  same figures: {same}"
        print(line)
    print(f"peak memory                 {figures['peak_mib']:>6} MiB")


if __name__ == "__main__":
    main()
