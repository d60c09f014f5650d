"""Letters and cards as real PDFs read back, and webhooks received by a real HTTP server."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from koers.channels import webhook
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Relation
from koers.touchpoints.choices import Status
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import PrintBatch, Touchpoint

pytestmark = pytest.mark.django_db

BODY = {
    "nl": "Dank voor uw gift van {{ bedrag }}.",
    "en": "Thank you for your gift of {{ bedrag }}.",
}


def touchpoint(relation: Any, channel: str, content: dict[str, Any]) -> Touchpoint:
    return Touchpoint.objects.create(
        relation=relation, source="test:brief", occurrence=str(relation.pk), channel=channel,
        nature="thank", planned_at=local(2026, 11, 23, 12), content=content,
    )  # fmt: skip


def fresh(touchpoints: list[Touchpoint]) -> list[Touchpoint]:
    for touchpoint in touchpoints:
        touchpoint.refresh_from_db()
    return touchpoints


def text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_letters_become_pdfs_and_one_batch_for_the_print_house(
    settings: Any, tmp_path: Path
) -> None:
    settings.KOERS_PRINT_DIR = tmp_path
    anna = donor("A1", "Anna")
    emma = donor("E2", "Emma", language="en")
    content = {"body": BODY, "trigger": {"amount_cents": 123456}}
    letters = [touchpoint(anna, "letter", content), touchpoint(emma, "letter", content)]

    report = dispatch(local(2026, 11, 24))

    assert report.sent == 2
    batch = PrintBatch.objects.get()
    assert (batch.count, batch.finished_at) == (2, local(2026, 11, 24))
    folder = tmp_path / batch.pdf.split("/")[0]
    first = text(folder / f"{letters[0].pk}.pdf")
    assert "Anna Jansen" in first and "Dorpsstraat 1" in first and "1234AB UTRECHT" in first
    assert "24-11-2026" in first and "Dank voor uw gift van € 1.234,56." in first
    assert "Thank you for your gift of € 1.234,56." in text(folder / f"{letters[1].pk}.pdf")
    assert len(PdfReader(tmp_path / batch.pdf).pages) == 2
    with (tmp_path / batch.manifest).open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[1][1:8] == ["A1", "Anna Jansen", "Dorpsstraat 1", "1234AB", "Utrecht", "NL", "1"]
    assert [(t.status, t.batch, t.delivery_key) for t in fresh(letters)] == [
        (Status.SENT, batch, f"{folder.name}/{letters[0].pk}.pdf"),
        (Status.SENT, batch, f"{folder.name}/{letters[1].pk}.pdf"),
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["adressen.csv", "batch.pdf", f"{letters[0].pk}.pdf", f"{letters[1].pk}.pdf"]
    )


def test_a_card_is_a_single_a6_page(settings: Any, tmp_path: Path) -> None:
    settings.KOERS_PRINT_DIR = tmp_path
    card = touchpoint(donor("A1", "Anna"), "card", {"body": BODY, "trigger": {"amount_cents": 500}})

    dispatch(local(2026, 11, 24))

    pdf = PdfReader(next(tmp_path.glob(f"card-*/{card.pk}.pdf")))
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (420, 298)  # A6 landscape in points
    assert "Dank voor uw gift van € 5,00." in pdf.pages[0].extract_text()


class Recorder(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    answer = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Recorder.received.append((dict(self.headers), self.rfile.read(length)))
        self.send_response(Recorder.answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    Recorder.received, Recorder.answer = [], 200
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/koers"
    server.shutdown()


def test_a_webhook_is_posted_signed(settings: Any, receiver: str) -> None:
    settings.KOERS_WEBHOOK_SECRET = "geheim"
    hook = touchpoint(donor("A1", "Anna"), "webhook", {"url": receiver, "event": "welkom"})

    dispatch(local(2026, 11, 24))

    hook.refresh_from_db()
    assert hook.status == Status.SENT
    [(headers, body)] = Recorder.received
    assert headers["Idempotency-Key"] == f"koers-{hook.pk}"
    stamp, signature = int(headers["X-Koers-Timestamp"]), headers["X-Koers-Signature"]
    assert webhook.verify("geheim", stamp, body, signature)
    assert not webhook.verify("geheim", stamp, body + b" ", signature)
    assert json.loads(body) | {"touchpoint": 0, "planned_at": ""} == {
        "touchpoint": 0, "relation": "A1", "source": "test:brief", "step": "", "channel": "webhook",
        "nature": "thank", "planned_at": "", "content": {"event": "welkom"},
    }  # fmt: skip


def test_a_failing_webhook_is_recorded_not_raised(receiver: str) -> None:
    Recorder.answer = 500
    relation = donor("A1", "Anna")
    down = touchpoint(relation, "webhook", {"url": receiver})
    closed = Touchpoint.objects.create(
        relation=relation, source="test:dicht", occurrence="1", channel="webhook", nature="inform",
        planned_at=local(2026, 11, 23), content={"url": "http://127.0.0.1:9/dicht"},
    )  # fmt: skip

    report = dispatch(local(2026, 11, 24))

    assert report.failed == 2
    down, closed = fresh([down, closed])
    assert (down.status, down.error) == (Status.FAILED, f"HTTP 500 van {receiver}")
    assert closed.status == Status.FAILED
    assert closed.error.startswith("http://127.0.0.1:9/dicht niet bereikbaar:")


def test_the_print_house_address_list_holds_hostile_fields_as_inert_text(
    settings: Any, tmp_path: Path
) -> None:
    # Given a relation whose name, street and city came out of the CRM as formulas
    settings.KOERS_PRINT_DIR = tmp_path
    relation = donor("A1", "Anna")
    hostile = {
        "organisation_name": '=HYPERLINK("http://kwaad.example/","Klik")',
        "street": "-2+3+cmd|' /C calc'!A0",
        "house_number": "+1",
        "city": "@SUM(1+1)*cmd|' /C calc'!A0",
    }
    Relation.objects.filter(pk=relation.pk).update(kind="organisation", **hostile)
    touchpoint(Relation.objects.get(pk=relation.pk), "letter", {"body": BODY})

    # When the letter goes to the print house
    dispatch(local(2026, 11, 24))

    # Then the address list, read as Excel would, holds each field as quoted text
    with (tmp_path / PrintBatch.objects.get().manifest).open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[1][1:7] == [
        "A1", """'=HYPERLINK("http://kwaad.example/","Klik")""", "'-2+3+cmd|' /C calc'!A0 +1",
        "1234AB", "'@SUM(1+1)*cmd|' /C calc'!A0", "NL",
    ]  # fmt: skip


def test_a_webhook_without_a_web_address_fails_and_is_not_in_doubt() -> None:
    hook = touchpoint(donor("A1", "Anna"), "webhook", {"url": "geen-adres"})

    report = dispatch(local(2026, 11, 24))

    hook.refresh_from_db()
    assert (report.failed, report.uncertain, hook.status) == (1, 0, Status.FAILED)
    assert hook.error.startswith("geen-adres: geen geldig webadres")
    assert hook.handed_at is None
