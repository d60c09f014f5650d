"""The answer page's prepared statements on PostgreSQL: a dropped connection or a migration
that changes a column costs no failed request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection

from koers.feedback.models import Instrument, Invitation
from koers.feedback.tests.test_answer_pages import invitation_for, nps

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]
__all__ = ["nps"]  # the fixture, used by name


@pytest.fixture
def other() -> Iterator[psycopg.Connection[Any]]:
    """A second connection to the test database, as a database administrator would have."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
        port=settings["PORT"] or 5432, autocommit=True,
    ) as found:  # fmt: skip
        yield found


def prepared(invitation: Invitation) -> None:
    """Read often enough that psycopg has prepared the statement on this connection."""
    for _ in range(7):
        assert Invitation.objects.asked(invitation.pk, invitation.code) is not None


def test_a_dropped_connection_is_replaced_before_the_read(
    nps: Instrument, other: psycopg.Connection[Any]
) -> None:
    invitation = invitation_for("1", nps)
    prepared(invitation)
    backend = connection.connection.info.backend_pid
    other.execute("SELECT pg_terminate_backend(%s)", [backend])
    # As at the start of the next request (a Django attribute the type stubs leave out).
    connection.health_check_done = False  # type: ignore[attr-defined]

    found = Invitation.objects.asked(invitation.pk, invitation.code)

    assert found is not None and found.instrument.key == "nps-contact"
    assert connection.connection.info.backend_pid != backend


def test_a_column_changed_by_a_migration_is_read_again_on_a_new_connection(
    nps: Instrument, other: psycopg.Connection[Any]
) -> None:
    invitation = invitation_for("1", nps)
    prepared(invitation)
    other.execute("ALTER TABLE feedback_instrument ALTER COLUMN name TYPE varchar(121)")
    try:
        found = Invitation.objects.asked(invitation.pk, invitation.code)
    finally:
        other.execute("ALTER TABLE feedback_instrument ALTER COLUMN name TYPE varchar(120)")

    assert found is not None and found.instrument.name == "NPS na contact"
