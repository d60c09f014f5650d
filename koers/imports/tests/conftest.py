from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a test file exactly as given, in the encoding a CRM would use."""

    def writer(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return writer


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float  # the process's own peak resident memory


def run_measured(command: list[str], env: dict[str, str], folder: Path) -> Finished:
    """Run a process to its end and measure its peak memory alone (os.wait4 on its pid:
    RUSAGE_CHILDREN would mix in every process this test run started before)."""
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr)
    deadline = time.monotonic() + 600  # a guard against hanging, not a measurement
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{' '.join(command)} did not finish in 10 minutes")
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Finished(
        process.returncode,
        out.read_text(encoding="utf-8"),
        err.read_text(encoding="utf-8"),
        usage.ru_maxrss / 1024,
    )


class SharedDatabase:
    """The test's database, opened by another process too (`koers import` run for real).

    PostgreSQL: the test database itself (the test commits, so the other process sees its
    rows). SQLite: the test database is in memory, so it is copied to a file first
    (`publish`) and read back from that file.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "koers.sqlite3"

    @property
    def sqlite(self) -> bool:
        return connection.vendor == "sqlite"

    def env(self) -> dict[str, str]:
        env = {**os.environ, "KOERS_VAR_DIR": str(self.folder)}
        if self.sqlite:
            env["DATABASE_URL"] = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            user = quote(str(s["USER"] or ""), safe="")
            password = f":{quote(str(s['PASSWORD']), safe='')}" if s["PASSWORD"] else ""
            env["DATABASE_URL"] = (
                f"postgres://{user}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
                f"/{s['NAME']}"
            )
        return env

    def publish(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            with closing(sqlite3.connect(self.file)) as target:
                connection.connection.backup(target)

    def scalar(self, sql: str) -> Any:
        if self.sqlite:
            with closing(sqlite3.connect(self.file)) as database:
                return database.execute(sql).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> SharedDatabase:
    return SharedDatabase(tmp_path)
