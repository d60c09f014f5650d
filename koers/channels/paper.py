"""Letters and cards: a PDF per touchpoint (WeasyPrint) and one batch for the print house.

The file is the key the print house sees: `<batch folder>/<touchpoint>.pdf`, recorded
before it is written. A letter whose file exists was delivered to the folder; the batch's
`batch.pdf` and `adressen.csv`, which the print house takes, list only recorded letters.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from koers.channels.base import Channel, Delivery, Session
from koers.channels.content import render, salutation
from koers.formatting import day
from koers.relations.choices import ContactChannel
from koers.spreadsheet import write_csv
from koers.touchpoints.choices import Status
from koers.touchpoints.models import PrintBatch, Touchpoint

MANIFEST_HEADER = [
    "contactmoment", "relatienummer", "naam", "straat en huisnummer", "postcode", "plaats",
    "land", "paginas", "bestand",
]  # fmt: skip


def _html(channel: str, touchpoint: Touchpoint, now: datetime) -> str:
    from koers.feedback.delivery import paper_block

    relation = touchpoint.relation
    survey = paper_block(touchpoint, now)
    return render_to_string(
        f"channels/{channel}.html",
        {
            "organisation": settings.KOERS_ORGANISATION,
            "date": day(timezone.localtime(now).date()),
            "name": relation.display_name,
            "address": relation.address_lines,
            "salutation": salutation(relation),
            "body": render(touchpoint, "body"),
            "language": relation.language,
            "survey_text": survey.text if survey else "",
            "survey_url": survey.url if survey else "",
            # segno writes the SVG itself from the URL: there is no outside text in it.
            "survey_qr": mark_safe(survey.html) if survey else "",
        },
    )


class PaperSession(Session):
    """One print batch: a folder with a PDF per letter, then the whole batch and its address
    list, written once every letter in it has been recorded (see `finish`)."""

    def __init__(self, channel: str, now: datetime, owner: str) -> None:
        self.channel, self.now, self.owner = channel, now, owner
        self.batch: PrintBatch | None = None
        self.documents: dict[int, Any] = {}

    def prepare(self, touchpoint: Touchpoint) -> Delivery | None:
        try:
            document = render_letter(self.channel, touchpoint, self.now)
        except Exception as error:  # one broken letter fails alone, not the batch
            return Delivery(Status.FAILED, f"PDF maken mislukt: {error}")
        if self.batch is None:
            self.batch = _new_batch(self.channel, self.now, self.owner)
        self.documents[touchpoint.pk] = document
        touchpoint.batch = self.batch
        touchpoint.delivery_key = f"{_folder(self.batch)}/{touchpoint.pk}.pdf"
        return None

    def send(self, touchpoint: Touchpoint) -> Delivery:
        try:
            _write(_print_path(touchpoint.delivery_key), self.documents[touchpoint.pk].write_pdf)
        except OSError as error:  # the disk, not the letter: the rest waits as well
            return Delivery(Status.PLANNED, f"PDF opslaan mislukt: {error}", halt=True)
        return Delivery(Status.SENT)

    def close(self) -> None:
        if self.batch is not None:
            finish(self.batch, self.now, self.documents)


def render_letter(channel: str, touchpoint: Touchpoint, now: datetime) -> Any:
    from weasyprint import HTML

    return HTML(string=_html(channel, touchpoint, now)).render()


def _new_batch(channel: str, now: datetime, owner: str) -> PrintBatch:
    name = f"{channel}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    (Path(settings.KOERS_PRINT_DIR) / name).mkdir(parents=True, exist_ok=True)
    return PrintBatch.objects.create(
        channel=channel,
        created_at=now,
        pdf=f"{name}/batch.pdf",
        manifest=f"{name}/adressen.csv",
        claimed_by=owner,
    )


def _folder(batch: PrintBatch) -> str:
    return batch.pdf.rpartition("/")[0]


def _print_path(relative: str) -> Path:
    return Path(settings.KOERS_PRINT_DIR) / relative


def _write(path: Path, write: Callable[[Path], Any]) -> None:
    """Write a file whole or not at all: a print house never sees half a PDF."""
    partial = path.with_name(f".{path.name}.part")
    write(partial)
    os.replace(partial, path)


def letter_written(touchpoint: Touchpoint) -> bool:
    """Whether the letter of the touchpoint's current attempt was written in full."""
    return bool(touchpoint.delivery_key) and _print_path(touchpoint.delivery_key).exists()


def finish(batch: PrintBatch, now: datetime, documents: dict[int, Any] | None = None) -> int:
    """Write the batch's PDF and address list from the letters recorded as sent in it, once.

    The record decides what the print house gets: a letter written but never recorded (its
    worker died in between) is not in the batch, so it cannot be printed twice. Letters not
    in `documents` (the batch of a worker that died) are rendered again. Returns the count.
    """
    with transaction.atomic():
        batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.finished_at is not None:
            return batch.count
        letters = list(
            Touchpoint.objects.filter(batch=batch, status=Status.SENT)
            .select_related("relation", "enrollment__version")
            .order_by("id")
        )
        if not letters:
            batch.delete()
            return 0
        rendered = [
            (documents or {}).get(t.pk) or render_letter(batch.channel, t, batch.created_at)
            for t in letters
        ]
        pages = [page for document in rendered for page in document.pages]
        _write(_print_path(batch.pdf), rendered[0].copy(pages).write_pdf)
        rows = [_manifest_row(t, len(d.pages)) for t, d in zip(letters, rendered, strict=True)]
        _write(_print_path(batch.manifest), lambda path: _write_manifest(path, rows))
        batch.count, batch.finished_at = len(letters), now
        batch.save(update_fields=["count", "finished_at"])
        return batch.count


def _manifest_row(touchpoint: Touchpoint, pages: int) -> list[str]:
    relation = touchpoint.relation
    street = " ".join(part for part in (relation.street, relation.house_number) if part)
    return [
        str(touchpoint.pk), relation.external_id, relation.display_name, street,
        relation.postcode, relation.city, relation.country, str(pages), f"{touchpoint.pk}.pdf",
    ]  # fmt: skip


def _write_manifest(path: Path, rows: list[list[str]]) -> None:
    # Names and addresses come from the CRM: written inert, so no cell runs as a formula.
    write_csv(path, MANIFEST_HEADER, rows)


class Paper(Channel):
    """What letters and cards share: the address, the session and the recovery."""

    consent = ContactChannel.POST
    address_fields = ("street", "postcode", "city")
    content_needs = ("body",)
    paper = True

    def session(self, now: datetime, owner: str) -> Session:
        return PaperSession(self.key, now, owner)

    def recover(self, touchpoint: Touchpoint) -> Status:
        """Written in full into a batch not yet finished: delivered, and the batch will list
        it. Otherwise the print house cannot get it, so it may simply be made again."""
        batch = touchpoint.batch
        if batch is not None and batch.finished_at is None and letter_written(touchpoint):
            return Status.SENT
        return Status.PLANNED
