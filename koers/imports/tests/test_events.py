from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koers.giving.models import Mandate
from koers.groups.models import Facts
from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW
from koers.relations.models import Consent, Event


@pytest.fixture
def base(db: None, write: Callable[..., Path]) -> Callable[..., Path]:
    import_file("relations", write("r.csv", "relatienummer;achternaam\nA;Aal\nB;Bos\n"), now=NOW)
    return write


def _events(kind: str) -> list[tuple[str, datetime, dict[str, object]]]:
    rows = Event.objects.filter(kind=kind).order_by("id")
    return [(e.relation.external_id, e.occurred_at, e.data) for e in rows]


def test_new_gifts_write_received_and_first_gift_events(base: Callable[..., Path]) -> None:
    gifts = base(
        "g.csv",
        "relatienummer;datum;bedrag;campagne\nA;01-07-2026;10;Zomer\nA;01-03-2026;5;Lente\n",
    )

    import_file("gifts", gifts, now=NOW)

    received = _events("gift.received")
    assert [(r, at, d["amount_cents"], d["campaign"]) for r, at, d in received] == [
        ("A", datetime(2026, 7, 1, 10, 0, tzinfo=UTC), 1000, "Zomer"),
        ("A", datetime(2026, 3, 1, 11, 0, tzinfo=UTC), 500, "Lente"),
    ]
    assert [(r, at) for r, at, _ in _events("gift.first")] == [
        ("A", datetime(2026, 3, 1, 11, 0, tzinfo=UTC))
    ]


def test_a_later_gift_is_not_a_first_gift(base: Callable[..., Path]) -> None:
    import_file("gifts", base("g1.csv", "relatienummer;datum;bedrag\nA;01-03-2026;5\n"), now=NOW)
    import_file("gifts", base("g2.csv", "relatienummer;datum;bedrag\nA;01-04-2026;5\n"), now=NOW)

    assert len(_events("gift.first")) == 1
    assert len(_events("gift.received")) == 2


def test_mandate_history_becomes_events(base: Callable[..., Path]) -> None:
    header = "kenmerk;relatienummer;bedrag;frequentie;startdatum;status;einddatum\n"
    import_file(
        "mandates", base("m.csv", header + "M1;A;10,00;maandelijks;01-01-2026;actief;\n"), now=NOW
    )
    import_file(
        "mandates",
        base("m2.csv", header + "M1;A;10,00;maandelijks;01-01-2026;gepauzeerd;\n"),
        now=NOW,
    )
    import_file(
        "mandates",
        base("m3.csv", header + "M1;A;10,00;maandelijks;01-01-2026;opgezegd;20-11-2026\n"),
        now=NOW,
    )

    kinds = list(
        Event.objects.filter(kind__startswith="mandate")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["mandate.started", "mandate.paused", "mandate.cancelled"]
    assert Mandate.objects.get().status == "cancelled"
    assert _events("mandate.cancelled")[0][1] == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def test_consents_keep_basis_source_and_withdrawal(base: Callable[..., Path]) -> None:
    header = "relatienummer;kanaal;grondslag;datum;ingetrokken;bron\n"
    import_file(
        "consents", base("c.csv", header + "A;e-mail;toestemming;01-02-2026;;Website\n"), now=NOW
    )
    import_file(
        "consents",
        base("c2.csv", header + "A;e-mail;toestemming;01-02-2026;01-10-2026;Website\n"),
        now=NOW,
    )

    consent = Consent.objects.get()
    assert (consent.channel, consent.basis, consent.source) == ("email", "consent", "Website")
    assert consent.withdrawn_at == datetime(2026, 10, 1, 10, 0, tzinfo=UTC)
    assert [
        k for k in Event.objects.filter(kind__startswith="consent").values_list("kind", flat=True)
    ] == [
        "consent.given",
        "consent.withdrawn",
    ]


def test_every_import_refreshes_the_facts(base: Callable[..., Path]) -> None:
    import_file("gifts", base("g.csv", "relatienummer;datum;bedrag\nB;01-07-2026;25\n"), now=NOW)

    assert Facts.objects.get(relation__external_id="B").gifts_12m_cents == 2500
