"""Letters and cards: a PDF per touchpoint (WeasyPrint) and one batch for the print house."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from koers.channels.base import Delivery
from koers.channels.content import render, salutation
from koers.formatting import day
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


def deliver_paper(channel: str, touchpoints: Sequence[Touchpoint], now: datetime) -> list[Delivery]:
    """Render each touchpoint; gather the ones that rendered into one batch PDF and address list."""
    from weasyprint import HTML

    folder_name = f"{channel}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    folder = Path(settings.KOERS_PRINT_DIR) / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    results, documents, rows = [], [], []
    for touchpoint in touchpoints:
        try:
            document = HTML(string=_html(channel, touchpoint, now)).render()
            document.write_pdf(folder / f"{touchpoint.pk}.pdf")
        except Exception as error:
            results.append(Delivery(Status.FAILED, f"PDF maken mislukt: {error}"))
            continue
        documents.append(document)
        rows.append(_manifest_row(touchpoint, len(document.pages)))
        results.append(Delivery(Status.SENT))
    if documents:
        pages = [page for document in documents for page in document.pages]
        documents[0].copy(pages).write_pdf(folder / "batch.pdf")
        _write_manifest(folder / "adressen.csv", rows)
        batch = PrintBatch.objects.create(
            channel=channel,
            created_at=now,
            count=len(documents),
            pdf=f"{folder_name}/batch.pdf",
            manifest=f"{folder_name}/adressen.csv",
        )
        for touchpoint, result in zip(touchpoints, results, strict=True):
            if result.status == Status.SENT:
                touchpoint.batch = batch
    return results


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
