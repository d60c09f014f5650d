"""The public answer pages: no login, mobile first, Dutch or English, kind about bad links.

GET shows the question (a score clicked in an e-mail is kept as provisional and shown
chosen); POST, with its CSRF token, confirms the answer; then a thank-you page. A link
that is broken, expired or answered already gets a page that says so in plain words.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from koers.feedback import actions
from koers.feedback.choices import InstrumentKind, ResponseStatus
from koers.feedback.models import Invitation, Response
from koers.feedback.stats import band
from koers.feedback.tokens import clean_code, open_token, token_for

LANGUAGES = ("nl", "en")


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _too_many(request: HttpRequest) -> bool:
    """At most KOERS_FEEDBACK_PER_MINUTE requests a minute per client (0: no limit)."""
    limit = settings.KOERS_FEEDBACK_PER_MINUTE
    if not limit:
        return False
    key = f"koers:feedback:rate:{_client(request)}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > limit


def _language(request: HttpRequest, invitation: Invitation | None) -> str:
    wanted = request.GET.get("taal") or request.POST.get("taal") or ""
    if wanted in LANGUAGES:
        return wanted
    if invitation is not None and invitation.relation.language in LANGUAGES:
        return invitation.relation.language
    return "nl"


def _problem(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    language = _language(request, None)
    with translation.override(language):
        context = {"problem": problem, "language": language}
        return render(request, "feedback/problem.html", context, status=status)


def _invitation(token: str) -> tuple[Invitation | None, str]:
    opened = open_token(token)
    if opened.invitation is None:
        return None, opened.problem
    found = (
        Invitation.objects.select_related("instrument", "relation", "touchpoint")
        .filter(pk=opened.invitation)
        .first()
    )
    return found, "" if found else "invalid"


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    if _too_many(request):
        return _problem(request, "busy", 429)
    invitation, problem = _invitation(token)
    if invitation is None:
        return _problem(request, problem, 410 if problem == "expired" else 404)
    language = _language(request, invitation)
    with translation.override(language):
        if request.method == "POST":
            return _confirm(request, invitation, token, language)
        return _show(request, invitation, token, language)


def _show(request: HttpRequest, invitation: Invitation, token: str, language: str) -> HttpResponse:
    existing = Response.objects.filter(invitation=invitation).first()
    if existing is not None and existing.status == ResponseStatus.CONFIRMED:
        return _problem(request, "answered", 200)
    instrument = invitation.instrument
    clicked = request.GET.get("score")
    if clicked is not None:
        checked = actions.check_answer(instrument, {"score": clicked}, english=language == "en")
        if checked.score is not None:
            existing = actions.click(invitation, checked.score, timezone.now()) or existing
    chosen = existing.score if existing is not None else None
    return _page(request, invitation, token, language, {"score": chosen}, {})


def _page(
    request: HttpRequest,
    invitation: Invitation,
    token: str,
    language: str,
    values: dict[str, Any],
    problems: dict[str, str],
    status: int = 200,
) -> HttpResponse:
    instrument = invitation.instrument
    follow_up = {
        name: _text(texts, language) for name, texts in (instrument.follow_up or {}).items()
    }
    context = {
        "invitation": invitation,
        "instrument": instrument,
        "token": token,
        "language": language,
        "values": values,
        "problems": problems,
        "question": _text(instrument.question, language),
        "follow_up": follow_up,
        "follow_up_text": _follow_up_text(follow_up, values.get("score"), language),
        "questions": [
            {**q, "label": _text(q.get("text", {}), language)} for q in instrument.questions
        ],
        "scores": list(range(11)),
        "nps": instrument.kind == InstrumentKind.NPS,
        "thumbs": instrument.kind == InstrumentKind.THUMBS,
        "organisation": settings.KOERS_ORGANISATION,
        "other_language": "en" if language == "nl" else "nl",
    }
    return render(request, "feedback/answer.html", context, status=status)


def _follow_up_text(follow_up: dict[str, str], score: Any, language: str) -> str:
    """The follow-up question for the chosen score's band, or the general one."""
    if str(score).isdigit() and 0 <= int(score) <= 10 and follow_up:
        return follow_up.get(band(int(score)), "")
    if language == "en":
        return "Would you like to tell us more? (optional)"
    return "Wilt u iets toelichten? (mag leeg blijven)"


def _text(texts: Any, language: str) -> str:
    if isinstance(texts, dict):
        return str(texts.get(language) or texts.get("nl") or "")
    return str(texts or "")


def _confirm(
    request: HttpRequest, invitation: Invitation, token: str, language: str
) -> HttpResponse:
    checked = actions.check_answer(invitation.instrument, request.POST, english=language == "en")
    if checked.problems:
        values = {key: request.POST.get(key, "") for key in request.POST}
        return _page(request, invitation, token, language, values, checked.problems, 400)
    try:
        actions.confirm(invitation, checked, timezone.now(), language)
    except actions.AlreadyAnswered:
        return _problem(request, "answered", 200)
    return redirect(reverse("feedback:thanks", args=[token]) + f"?taal={language}")


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation, problem = _invitation(token)
    if invitation is None:
        return _problem(request, problem, 404)
    language = _language(request, invitation)
    with translation.override(language):
        context = {"language": language, "organisation": settings.KOERS_ORGANISATION}
        return render(request, "feedback/thanks.html", context)


def short(request: HttpRequest, code: str) -> HttpResponse:
    """The short address printed on a letter or card, with its code: on to the answer page."""
    if _too_many(request):
        return _problem(request, "busy", 429)
    invitation = Invitation.objects.filter(code=clean_code(code)).first()
    if invitation is None:
        return _problem(request, "invalid", 404)
    return redirect("feedback:answer", token=token_for(invitation.pk))
