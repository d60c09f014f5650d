"""Real `koers` processes against the test database, and a TCP proxy the tests can cut.

The worker tests run `koers worker` as a separate process, kill it with SIGKILL, take its
database away and start several at once. The process reaches the test database directly
on PostgreSQL; SQLite's test database lives in memory, so it is copied to a file for the
processes and copied back for the test to read (both ways with SQLite's backup API).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.db import connection

from koers.conftest import Inbox


class Base:
    """The test database as `koers` processes see it."""

    def __init__(self, folder: Path, inbox: Inbox | None = None, **env: str) -> None:
        self.folder = folder
        self.file = folder / "koers.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "koers.settings",
            "KOERS_VAR_DIR": str(folder),
            "KOERS_CLAIM_TIMEOUT": "2",
            "KOERS_LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.url(),
            **env,
        }
        self.env.pop("KOERS_CRASH_AT", None)
        if inbox is not None:
            from django.conf import settings

            self.env.update(
                KOERS_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                KOERS_SMTP_HOST=str(settings.EMAIL_HOST),
                KOERS_SMTP_PORT=str(settings.EMAIL_PORT),
            )

    @property
    def postgres(self) -> bool:
        return connection.vendor == "postgresql"

    def url(self, port: int | None = None) -> str:
        if not self.postgres:
            return f"sqlite:///{self.file}"
        db = connection.settings_dict
        return (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )

    @contextmanager
    def shared(self) -> Iterator[None]:
        """What the test wrote, visible to the processes; what they wrote, back in the test."""
        if not self.postgres:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
        yield
        if not self.postgres:
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "koers.cli", *args],
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "koers.cli", *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )


def received(inbox: Inbox) -> Counter[str]:
    """How often each touchpoint reached the SMTP server."""
    return Counter(str(message["X-Koers-Touchpoint"]) for message in inbox.messages)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    until = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > until:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


class Proxy:
    """A TCP proxy to the database that the test can cut: every open connection dropped and
    new ones refused, until it is restored on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            if listener is not None:
                listener.close()
            for sock in self.open:
                _close(sock)
            self.open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(a, b), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    _close(source)
    _close(target)


def _close(sock: Any) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
