"""Surveys inside touchpoints: the links an e-mail carries and the code a letter prints.

A journey step or a calendar moment asks for an instrument with `survey: KEY` in its
content. When the touchpoint is sent, it gets its invitation (unless the relation was asked
too recently: then the skip is recorded and the contact goes without the question, or, for
a touchpoint that is only the survey, not at all).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from koers.feedback import actions
from koers.feedback.choices import InstrumentKind
from koers.feedback.models import Instrument, Invitation
from koers.feedback.tokens import token_for
from koers.touchpoints.choices import Nature
from koers.touchpoints.models import Touchpoint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Block:
    """The survey as it goes into a message: plain text and HTML."""

    text: str
    html: str
    url: str = ""  # on paper: the address to type over, printed on one line


def instrument_of(touchpoint: Touchpoint) -> Instrument | None:
    key = str(touchpoint.fields.get("survey") or "")
    if not key:
        return None
    found = Instrument.objects.filter(key=key).first()
    if found is None:
        log.warning("touchpoint %s asks for unknown instrument %r", touchpoint.pk, key)
    return found


def survey_throttled(touchpoint: Touchpoint, now: datetime) -> bool:
    """For a touchpoint that is only a survey: True (and the skip recorded) when the relation
    may not be asked now."""
    instrument = instrument_of(touchpoint)
    if instrument is None or touchpoint.nature != Nature.SURVEY:
        return False
    return actions.invite(touchpoint, instrument, now) is None


def answer_url(invitation: Invitation, score: str | int | None = None) -> str:
    path = reverse("feedback:answer", args=[token_for(invitation.pk, invitation.code)])
    query = f"?score={score}" if score is not None else ""
    return f"{settings.KOERS_BASE_URL}{path}{query}"


def short_url(invitation: Invitation) -> str:
    code = invitation.code
    shown = f"{code[:4]}-{code[4:8]}-{code[8:]}".upper()
    return f"{settings.KOERS_BASE_URL}{reverse('feedback:short', args=[shown])}"


def _invited(touchpoint: Touchpoint, now: datetime) -> tuple[Instrument, Invitation] | None:
    """The touchpoint's instrument and invitation, or None: nothing asked, or asked too soon."""
    instrument = instrument_of(touchpoint)
    if instrument is None:
        return None
    invitation = actions.invite(touchpoint, instrument, now)
    return None if invitation is None else (instrument, invitation)


def email_block(touchpoint: Touchpoint, now: datetime) -> Block | None:
    """One-click answers for an e-mail, or None when there is nothing to ask."""
    invited = _invited(touchpoint, now)
    if invited is None:
        return None
    instrument, invitation = invited
    english = touchpoint.relation.language == "en"
    question = _question(instrument, english)
    if instrument.kind == InstrumentKind.NPS:
        links = [(str(n), answer_url(invitation, n)) for n in range(11)]
        ends = (
            "(0 = not at all likely, 10 = extremely likely)"
            if english
            else ("(0 = zeker niet, 10 = zeker wel)")
        )
    elif instrument.kind == InstrumentKind.THUMBS:
        up, down = ("Good", "Not good") if english else ("Goed", "Niet goed")
        links = [(up, answer_url(invitation, "up")), (down, answer_url(invitation, "down"))]
        ends = ""
    else:
        links = [("Answer the questions" if english else "Vragen invullen", answer_url(invitation))]
        ends = ""
    text = "\n".join([question, ends, *[f"{label}: {url}" for label, url in links]]).strip()
    buttons = " ".join(
        f'<a href="{escape(url)}" style="display:inline-block;min-width:2em;padding:6px 8px;'
        f"margin:2px;border:1px solid #0b6e4f;border-radius:4px;color:#0b6e4f;"
        f'text-decoration:none;text-align:center">{escape(label)}</a>'
        for label, url in links
    )
    html = f"<p><strong>{escape(question)}</strong><br>{escape(ends)}</p><p>{buttons}</p>"
    return Block(text, html)


def paper_block(touchpoint: Touchpoint, now: datetime) -> Block | None:
    """For a letter or card: the short address with its code (and a QR code of it)."""
    invited = _invited(touchpoint, now)
    if invited is None:
        return None
    instrument, invitation = invited
    english = touchpoint.relation.language == "en"
    url = short_url(invitation)
    invite_text = "Tell us what you think:" if english else "Laat ons weten wat u ervan vindt:"
    return Block(f"{_question(instrument, english)}\n{invite_text}", _qr_svg(url), url)


def _question(instrument: Instrument, english: bool) -> str:
    texts = instrument.question or {}
    return str(texts.get("en" if english else "nl") or texts.get("nl") or instrument.name)


def _qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=3, border=2))


def unknown_surveys(contents: Sequence[tuple[str, object]]) -> list[str]:
    """Problems for content that asks for an instrument that does not exist: (where, content)
    pairs in, '<where>.content.survey: ...' messages out."""
    known = set(Instrument.objects.values_list("key", flat=True))
    problems = []
    for where, content in contents:
        key = content.get("survey") if isinstance(content, dict) else None
        if key and key not in known:
            choices = ", ".join(sorted(known)) or "nog geen"
            problems.append(
                f"{where}.content.survey: meetinstrument '{key}' bestaat niet; kies uit {choices}"
            )
    return problems
