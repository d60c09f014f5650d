"""Names that Dutch relations really have, read back from every medium exactly as written:
plain text unescaped, HTML escaped once, PDFs and files as the name itself."""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from koers.channels.tests.test_paper_and_webhook import Recorder, receiver  # noqa: F401
from koers.conftest import Inbox
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Relation
from koers.touchpoints.choices import Status
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import PrintBatch, Touchpoint

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
# The name, and the relation's fields that make it its display name.
NAMES = {
    "Anne 't Hart": {"first_name": "Anne", "infix": "'t", "last_name": "Hart"},
    "Jansen & Zonen B.V.": {"kind": "organisation", "organisation_name": "Jansen & Zonen B.V."},
    "<script>alert(1)</script>": {"first_name": "", "last_name": "<script>alert(1)</script>"},
    "Müller-Lüdenscheidt": {"first_name": "", "last_name": "Müller-Lüdenscheidt"},
}
CONTENT = {
    "subject": "Voor {{ naam }}",
    "body": "Dank u wel, {{ naam }}.",
    "script": "Bedank {{ naam }} voor de gift.",
    "title": "Kaart aan {{ naam }}",
}
# What a name escaped twice, or escaped where it should not be, looks like.
MANGLED = ("&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;")


def relations() -> list[Relation]:
    """One relation per name, in the order of NAMES."""
    made = []
    for number, (name, fields) in enumerate(NAMES.items(), start=1):
        relation = donor(f"N{number}", f"naam{number}")
        Relation.objects.filter(pk=relation.pk).update(**fields)
        relation.refresh_from_db()
        assert relation.display_name == name
        made.append(relation)
    return made


def contacts(
    channel: str, status: str = Status.PLANNED, people: list[Relation] | None = None, **content: Any
) -> list[Touchpoint]:
    """A contact with CONTENT (and `content`) for each relation, one per name."""
    return [
        Touchpoint.objects.create(
            relation=relation, source=f"test:{channel}", occurrence="1", channel=channel,
            nature="thank", status=status, role="strateeg", planned_at=local(2026, 11, 23, 10),
            content=CONTENT | content,
        )
        for relation in (people or relations())
    ]  # fmt: skip


def delivered(made: list[Touchpoint]) -> list[str]:
    """Dispatch what is due, then each contact's status, in the order given."""
    dispatch(local(2026, 11, 23, 10))
    return [Touchpoint.objects.get(pk=contact.pk).status for contact in made]


def part(message: Message, kind: str) -> str:
    for found in message.walk():
        if found.get_content_type() == kind:
            payload = found.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(found.get_content_charset() or "utf-8").replace("\r\n", "\n")
    raise AssertionError(f"no {kind} part")


def test_an_email_has_the_name_as_written_in_its_subject_and_text_and_escaped_once_in_html(
    smtp: Inbox,
) -> None:
    assert delivered(contacts("email")) == [Status.SENT] * 4
    received = sorted(smtp.messages, key=lambda m: str(m["To"]))
    for name, message in zip(NAMES, received, strict=True):
        assert str(make_header(decode_header(str(message["Subject"])))) == f"Voor {name}"
        text = part(message, "text/plain")
        assert text.startswith(f"Dank u wel, {name}.\n")
        markup = part(message, "text/html")
        assert markup.startswith(f"<p>Dank u wel, {escape(name)}.</p>")
        assert html.unescape(markup).startswith(f"<p>Dank u wel, {name}.</p>")
    scripted = part(received[2], "text/html")
    assert "<script>" not in scripted and "&lt;script&gt;alert(1)&lt;/script&gt;" in scripted
    assert not any(sign in part(m, "text/plain") for m in received for sign in MANGLED)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("channel", ["letter", "card"])
def test_a_letter_and_a_card_print_the_name_as_written(
    channel: str, settings: Any, tmp_path: Path
) -> None:
    settings.KOERS_PRINT_DIR = tmp_path
    made = contacts(channel)

    assert delivered(made) == [Status.SENT] * 4
    folder = tmp_path / PrintBatch.objects.get().pdf.split("/")[0]
    for name, contact in zip(NAMES, made, strict=True):
        printed = pdf_text(folder / f"{contact.pk}.pdf")
        assert f"Dank u wel, {name}." in printed
        assert not any(sign in printed for sign in MANGLED), printed
    with (folder / "adressen.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert [row[2] for row in rows[1:]] == list(NAMES)


def test_the_call_list_and_the_task_list_show_each_name_once_escaped(login: Login) -> None:
    people = relations()
    contacts("phone", Status.OPEN, people)
    contacts("task", Status.OPEN, people)

    calls = login("beller").get("/bellijst/").content.decode()
    tasks = login("strateeg").get("/taken/").content.decode()

    for name in NAMES:
        assert f"<p>Bedank {escape(name)} voor de gift.</p>" in calls
        assert f"<strong>Kaart aan {escape(name)}</strong>" in tasks
        assert f'<br><span class="small">Bedank {escape(name)} voor de gift.</span>' in tasks
    for page in (calls, tasks):
        assert "<script>alert" not in page
        assert "&amp;amp;" not in page and "&amp;#x27;" not in page and "&amp;lt;" not in page


def test_a_webhook_posts_its_texts_filled_in_as_plain_json(receiver: str) -> None:  # noqa: F811
    made = contacts("webhook", url=receiver)

    assert delivered(made) == [Status.SENT] * 4
    posted = [json.loads(body)["content"] for _headers, body in Recorder.received]
    assert [(c["subject"], c["body"], c["title"]) for c in posted] == [
        (f"Voor {name}", f"Dank u wel, {name}.", f"Kaart aan {name}") for name in NAMES
    ]
