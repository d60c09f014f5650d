"""A journey map as a PDF on A4 or A3 landscape, and as a PNG drawn from that PDF.

The PDF is the journey page's own map partial and stylesheet, laid out by WeasyPrint (as
letters and cards are, decision 0004). The PNG is the PDF's first page rasterised by
PDFium (decision 0016): no browser is needed to make it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from io import BytesIO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language

from koers.journeys.report import JourneyMap

PAPERS = ("A4", "A3")
# Pixels per point for the PNG: 150 dots per inch, legible when zoomed.
PNG_SCALE = 150 / 72


def _css() -> str:
    path = finders.find("web/koers.css")
    if not path:
        return ""
    with open(str(path), encoding="utf-8") as handle:
        return handle.read()


def pdf(found: JourneyMap, now: datetime, paper: str = "A4") -> bytes:
    from weasyprint import HTML

    if paper not in PAPERS:
        raise ValueError(f"papierformaat '{paper}' bestaat niet; kies uit {', '.join(PAPERS)}")
    html = render_to_string(
        "journeys/map_print.html",
        {"map": found, "css": _css(), "paper": paper, "now": now, "language": get_language()},
    )
    # The page's stylesheet is for browsers too; WeasyPrint would warn about every rule it
    # does not draw (sticky, overflow, media queries), which says nothing about the map.
    css_log = logging.getLogger("weasyprint")
    level = css_log.level
    css_log.setLevel(logging.ERROR)
    try:
        return bytes(HTML(string=html).write_pdf())
    finally:
        css_log.setLevel(level)


def png(found: JourneyMap, now: datetime, paper: str = "A4") -> bytes:
    """The first page of the PDF as a PNG image."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf(found, now, paper))
    try:
        image = document[0].render(scale=PNG_SCALE).to_pil()
    finally:
        document.close()
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
