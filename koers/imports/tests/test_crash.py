"""`koers import` killed with SIGKILL at any point leaves all of the import or none of it.

The rows, their events and the facts refresh commit in one transaction. A real process runs
the import on the test's own database and kills itself at a chosen stage (the import's
checkpoint hook); what is left in the database is then read.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW, SharedDatabase, run_measured

# Runs in the other process: the import of argv[2] as argv[1], killed at stage argv[3].
KILLED_AT = """
import os, signal, sys
from datetime import datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
import django

django.setup()
from koers.imports.api import import_file


def checkpoint(stage):
    print(stage, flush=True)
    if stage == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)


report = import_file(
    sys.argv[1], Path(sys.argv[2]), now=datetime.fromisoformat(sys.argv[4]), checkpoint=checkpoint
)
print("ok" if report.ok else report.errors, flush=True)
"""
GIFTS = (
    "relatienummer;datum;bedrag;giftnummer\n"
    "A;01-03-2026;25,00;G1\n"
    "A;01-06-2026;10,00;G2\n"
    "B;15-09-2026;100,00;G3\n"
)
STAGES = ["staged", "merged", "refreshed", "committed"]


def left_behind(database: SharedDatabase) -> tuple[int, int, int, int]:
    """Gifts, gift events, facts rows and gifts counted in the facts."""
    return (
        database.scalar("SELECT COUNT(*) FROM giving_gift"),
        database.scalar("SELECT COUNT(*) FROM relations_event WHERE kind LIKE 'gift.%'"),
        database.scalar("SELECT COUNT(*) FROM groups_facts"),
        database.scalar("SELECT COALESCE(SUM(gifts_count), 0) FROM groups_facts"),
    )


def import_killed_at(
    stage: str, database: SharedDatabase, folder: Path, write: Callable[..., Path]
) -> list[str]:
    """Import the gifts in another process killed at `stage`; the stages it reached."""
    import_file("relations", write("r.csv", "relatienummer;achternaam\nA;Aal\nB;Bos\n"), now=NOW)
    database.publish()
    command = [sys.executable, "-c", KILLED_AT, "gifts", str(write("g.csv", GIFTS)), stage]
    finished = run_measured([*command, NOW.isoformat()], database.env(), folder)
    assert finished.returncode == -signal.SIGKILL, finished.stderr
    return finished.stdout.split()


@pytest.mark.parametrize("stage", STAGES[:3])
def test_killed_before_the_commit_nothing_of_the_import_is_left(
    shared_database: SharedDatabase, tmp_path: Path, write: Callable[..., Path], stage: str
) -> None:
    reached = import_killed_at(stage, shared_database, tmp_path, write)

    assert reached == STAGES[: STAGES.index(stage) + 1]
    # The relations and their facts from before; no gift, no gift event, no gift in the facts.
    assert left_behind(shared_database) == (0, 0, 2, 0)


def test_killed_after_the_commit_everything_is_there_facts_included(
    shared_database: SharedDatabase, tmp_path: Path, write: Callable[..., Path]
) -> None:
    reached = import_killed_at("committed", shared_database, tmp_path, write)

    assert reached == STAGES
    # Three gifts, three gift.received and two gift.first events, the facts counting them.
    assert left_behind(shared_database) == (3, 5, 2, 3)
