"""A withdrawal in Koers sticks: an import gives consent again only with a later date."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from koers.imports.api import RowError, import_file
from koers.imports.tests.conftest import NOW
from koers.relations import actions
from koers.relations.choices import ContactChannel, EventSource
from koers.relations.models import Consent, Event, Relation

AMS = ZoneInfo("Europe/Amsterdam")
UNSUBSCRIBED = datetime(2026, 3, 5, 14, 31, tzinfo=AMS)
HEADER = "relatienummer;kanaal;grondslag;datum;ingetrokken;bron\n"
STOOD = "de intrekking op 05-03-2026 blijft staan: toestemming opnieuw geven kan alleen met een latere datum"
Write = Callable[..., Path]


@pytest.fixture
def unsubscribed(db: None, write: Write) -> Relation:
    """Anna's e-mail consent came from the CRM; on 5 March she unsubscribed in Koers."""
    import_file("relations", write("r.csv", "relatienummer;achternaam\nA;Aal\n"), now=NOW)
    import_file(
        "consents", write("c0.csv", HEADER + "A;e-mail;toestemming;01-02-2026;;Website\n"), now=NOW
    )
    anna = Relation.objects.get(external_id="A")
    actions.withdraw_consent(
        anna, ContactChannel.EMAIL, at=UNSUBSCRIBED, source=EventSource.WEB, reason="afmeldlink"
    )
    return anna


def consent_events() -> list[str]:
    return list(
        Event.objects.filter(kind__startswith="consent")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def email_consent() -> Consent:
    return Consent.objects.get(relation__external_id="A", channel="email")


def test_the_same_crm_file_again_leaves_the_withdrawal_and_says_so(
    unsubscribed: Relation, write: Write
) -> None:
    """The issue's case: the CRM still lists the consent, with an empty withdrawal column."""
    again = write("c1.csv", HEADER + "A;e-mail;toestemming;01-02-2026;;Website\n")

    report = import_file("consents", again, now=NOW)

    assert email_consent().withdrawn_at == UNSUBSCRIBED
    assert report.notices == [RowError(2, "datum", "01-02-2026", STOOD)]
    assert (report.ok, report.updated, report.unchanged, report.notice_count) == (True, 0, 1, 1)
    assert consent_events() == ["consent.given", "consent.withdrawn"]  # nothing new


def test_a_file_without_the_withdrawal_column_leaves_it_too(
    unsubscribed: Relation, write: Write
) -> None:
    report = import_file(
        "consents",
        write("c1.csv", "relatienummer;kanaal;grondslag;datum\nA;e-mail;toestemming;01-02-2026\n"),
        now=NOW,
    )

    assert email_consent().withdrawn_at == UNSUBSCRIBED
    assert [n.problem for n in report.notices] == [STOOD]


def test_consent_dated_the_day_of_the_withdrawal_does_not_undo_it(
    unsubscribed: Relation, write: Write
) -> None:
    """On the day itself nobody can tell from a file which came first: the withdrawal wins."""
    report = import_file(
        "consents", write("c1.csv", HEADER + "A;e-mail;toestemming;05-03-2026;;Website\n"), now=NOW
    )

    assert email_consent().withdrawn_at == UNSUBSCRIBED
    assert report.notices == [RowError(2, "datum", "05-03-2026", STOOD)]


def test_consent_given_on_a_later_day_is_given_again_and_named_in_the_report(
    unsubscribed: Relation, write: Write
) -> None:
    report = import_file(
        "consents",
        write("c1.csv", HEADER + "A;e-mail;toestemming;06-03-2026;;Beurs\n"),
        now=NOW,
    )

    consent = email_consent()
    assert (consent.withdrawn_at, consent.given_at, consent.source) == (
        None,
        datetime(2026, 3, 6, 11, 0, tzinfo=UTC),
        "Beurs",
    )
    assert report.notices == [
        RowError(
            2, "datum", "06-03-2026", "toestemming opnieuw gegeven, na de intrekking op 05-03-2026"
        )
    ]
    assert report.updated == 1
    given = Event.objects.filter(kind="consent.given").order_by("id").last()
    assert given is not None
    assert (given.occurred_at, given.source, given.data) == (
        datetime(2026, 3, 6, 11, 0, tzinfo=UTC),
        "import",
        {"channel": "email", "basis": "consent", "source": "Beurs"},
    )
    assert consent_events() == ["consent.given", "consent.withdrawn", "consent.given"]


def test_a_later_withdrawal_date_in_the_file_keeps_the_earlier_one(
    unsubscribed: Relation, write: Write
) -> None:
    """A later date would make the consent count again until then."""
    report = import_file(
        "consents",
        write("c1.csv", HEADER + "A;e-mail;toestemming;01-02-2026;01-12-2026;Website\n"),
        now=NOW,
    )

    assert email_consent().withdrawn_at == UNSUBSCRIBED
    assert [n.row for n in report.notices] == [2]
    assert consent_events() == ["consent.given", "consent.withdrawn"]


def test_an_earlier_withdrawal_date_in_the_file_is_taken_and_named_as_a_change(
    unsubscribed: Relation, write: Write
) -> None:
    report = import_file(
        "consents",
        write("c1.csv", HEADER + "A;e-mail;toestemming;01-02-2026;01-03-2026;Website\n"),
        now=NOW,
    )

    assert email_consent().withdrawn_at == datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    assert (report.notices, report.updated) == ([], 1)
    changed = Event.objects.get(kind="consent.changed")
    assert changed.data["fields"] == ["withdrawn_at"]


def test_other_columns_are_imported_while_the_withdrawal_stands_and_the_event_names_them(
    unsubscribed: Relation, write: Write
) -> None:
    report = import_file(
        "consents",
        write("c1.csv", HEADER + "A;e-mail;bestaande relatie;01-02-2026;;Telefoon\n"),
        now=NOW,
    )

    consent = email_consent()
    assert (consent.basis, consent.source, consent.withdrawn_at) == (
        "existing_relationship",
        "Telefoon",
        UNSUBSCRIBED,
    )
    assert (report.updated, report.notice_count) == (1, 1)
    changed = Event.objects.get(kind="consent.changed")
    assert changed.data == {
        "channel": "email",
        "basis": "existing_relationship",
        "source": "Telefoon",
        "fields": ["basis", "source"],
    }


def test_an_unsubscribe_without_consent_is_kept_against_an_older_crm_consent(
    db: None, write: Write
) -> None:
    import_file("relations", write("r.csv", "relatienummer;achternaam\nA;Aal\n"), now=NOW)
    anna = Relation.objects.get(external_id="A")
    actions.withdraw_consent(
        anna, ContactChannel.EMAIL, at=UNSUBSCRIBED, source=EventSource.WEB, reason="afmeldlink"
    )

    report = import_file(
        "consents", write("c.csv", HEADER + "A;e-mail;toestemming;01-02-2026;;Website\n"), now=NOW
    )

    consent = email_consent()  # the CRM's history, and the unsubscribe after it
    assert (consent.basis, consent.source, consent.withdrawn_at) == (
        "consent",
        "Website",
        UNSUBSCRIBED,
    )
    assert [n.problem for n in report.notices] == [STOOD]
    assert consent_events() == ["consent.withdrawn", "consent.changed"]
    assert Event.objects.get(kind="consent.changed").data["fields"] == [
        "basis",
        "given_at",
        "source",
    ]


def test_a_dry_run_shows_the_notices_and_saves_nothing(
    unsubscribed: Relation, write: Write
) -> None:
    report = import_file(
        "consents",
        write("c1.csv", HEADER + "A;e-mail;toestemming;06-03-2026;;Beurs\n"),
        now=NOW,
        dry_run=True,
    )

    assert report.notice_count == 1 and report.notices[0].row == 2
    assert email_consent().withdrawn_at == UNSUBSCRIBED


def test_the_command_prints_the_notices_and_json_carries_them(
    unsubscribed: Relation, write: Write
) -> None:
    path = write("c1.csv", HEADER + "A;e-mail;toestemming;01-02-2026;;Website\n")
    out = StringIO()

    call_command("import", "consents", str(path), stdout=out)
    as_json = StringIO()
    call_command("import", "consents", str(path), "--json", stdout=as_json)

    lines = out.getvalue().splitlines()
    assert lines[1:] == ["1 melding(en):", f"  rij 2, kolom datum, waarde '01-02-2026': {STOOD}"]
    report = json.loads(as_json.getvalue())
    assert (report["notice_count"], report["notices"]) == (
        1,
        [{"row": 2, "column": "datum", "value": "01-02-2026", "problem": STOOD}],
    )
