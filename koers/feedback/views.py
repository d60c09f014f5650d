"""The public answer pages: no login, mobile first, Dutch or English, kind about bad links.

GET shows the question (a score clicked in an e-mail is kept as provisional and shown
chosen); POST, with its CSRF token, confirms the answer; then a thank-you page. A link
that is broken, expired or answered already gets a page that says so in plain words. Each
page counts towards its client's limit (koers.web.limits).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers.feedback import actions
from koers.feedback.choices import InstrumentKind, QuestionKind, ResponseStatus
from koers.feedback.models import Asked, Invitation
from koers.feedback.stats import band
from koers.feedback.tokens import clean_code, open_token, token_for
from koers.web.limits import too_many

LANGUAGES = ("nl", "en")


def _language(request: HttpRequest, asked: Asked | None) -> str:
    wanted = request.GET.get("taal") or request.POST.get("taal") or ""
    if wanted in LANGUAGES:
        return wanted
    if asked is not None and asked.relation_language in LANGUAGES:
        return asked.relation_language
    return "nl"


def _render(
    template: str, context: dict[str, Any], status: int = 200, request: HttpRequest | None = None
) -> HttpResponse:
    """A public page. It needs none of the context processors (no user, menu or messages), so
    it is rendered without them; a page with a form is given its CSRF token (the request)."""
    context = {**context, "organisation": settings.KOERS_ORGANISATION}
    if request is not None:
        context["csrf_token"] = get_token(request)
    return HttpResponse(render_to_string(template, context), status=status)


def _problem(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    language = _language(request, None)
    with translation.override(language):
        context = {"problem": problem, "language": language}
        return _render("feedback/problem.html", context, status)


def _asked(token: str) -> tuple[Asked | None, str]:
    opened = open_token(token)
    if opened.invitation is None:
        return None, opened.problem
    found = Invitation.objects.asked(opened.invitation, opened.code)
    return found, "" if found else "invalid"


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    if too_many(request):
        return _problem(request, "busy", 429)
    asked, problem = _asked(token)
    if asked is None:
        return _problem(request, problem, 410 if problem == "expired" else 404)
    language = _language(request, asked)
    with translation.override(language):
        if request.method == "POST":
            return _confirm(request, asked, token, language)
        return _show(request, asked, token, language)


def _show(request: HttpRequest, asked: Asked, token: str, language: str) -> HttpResponse:
    if asked.status == ResponseStatus.CONFIRMED:
        return _problem(request, "answered", 200)
    chosen = asked.score
    clicked = request.GET.get("score")
    problems: dict[str, str] = {}
    if clicked is not None:
        english = language == "en"
        checked = actions.check_answer(asked.instrument, {"score": clicked}, english=english)
        if checked.score is None:
            # A link that was changed by hand: say what is expected, keep nothing.
            problems = {k: v for k, v in checked.problems.items() if k == "score"}
        elif not actions.click(asked, checked.score, timezone.now(), language):
            return _problem(request, "answered", 200)
        else:
            chosen = checked.score
    return _page(request, asked, token, language, {"score": chosen}, problems)


def _page(
    request: HttpRequest,
    asked: Asked,
    token: str,
    language: str,
    values: dict[str, Any],
    problems: dict[str, str],
    status: int = 200,
) -> HttpResponse:
    instrument = asked.instrument
    nps = instrument.kind == InstrumentKind.NPS
    follow_up = {
        name: _text(texts, language) for name, texts in (instrument.follow_up or {}).items()
    }
    context = {
        "instrument": instrument,
        "token": token,
        "language": language,
        "values": values,
        "problems": problems,
        "question": _text(instrument.question, language),
        "follow_up": follow_up,
        "follow_up_text": _follow_up_text(follow_up, values.get("score"), language),
        "questions": [_question(q, language, values, problems) for q in instrument.questions],
        "scale": _scale(values.get("score")) if nps else "",
        "nps": nps,
        "thumbs": instrument.kind == InstrumentKind.THUMBS,
        "other_language": "en" if language == "nl" else "nl",
    }
    return _render("feedback/answer.html", context, status, request)


def _question(
    question: dict[str, Any], language: str, values: dict[str, Any], problems: dict[str, str]
) -> dict[str, Any]:
    """A mini-survey's question as the form shows it: a scale is a choice of 1 to 5."""
    name = f"q_{question['key']}"
    scale = question["kind"] == QuestionKind.SCALE
    options = ["1", "2", "3", "4", "5"] if scale else question.get("options")
    return {
        "key": question["key"],
        "kind": question["kind"],
        "label": _text(question.get("text", {}), language),
        "options": [str(option) for option in options or []],
        "value": str(values.get(name, "")),
        "problem": problems.get(name, ""),
    }


def _scale(chosen: Any) -> SafeString:
    """The radio buttons 0 to 10, each labelled for a screen reader. Made here rather than in
    the template: eleven buttons with their labels were most of the page's rendering time."""
    chosen = str(chosen)
    return format_html_join(
        "\n",
        '<input type="radio" id="score-{0}" name="score" value="{0}"{1}>'
        '<label for="score-{0}"><span class="sr">{2}</span>'
        '<span aria-hidden="true">{0}</span></label>',
        (
            (n, " checked" if str(n) == chosen else "", _("%(number)s van 10") % {"number": n})
            for n in range(11)
        ),
    )


def _follow_up_text(follow_up: dict[str, str], score: Any, language: str) -> str:
    """The follow-up question for the chosen score's band, or the general one."""
    text = str(score)
    if text.isascii() and text.isdigit() and len(text) <= 2 and int(text) <= 10 and follow_up:
        return follow_up.get(band(int(text)), "")
    if language == "en":
        return "Would you like to tell us more? (optional)"
    return "Wilt u iets toelichten? (mag leeg blijven)"


def _text(texts: Any, language: str) -> str:
    if isinstance(texts, dict):
        return str(texts.get(language) or texts.get("nl") or "")
    return str(texts or "")


def _confirm(request: HttpRequest, asked: Asked, token: str, language: str) -> HttpResponse:
    checked = actions.check_answer(asked.instrument, request.POST, english=language == "en")
    if checked.problems:
        values = {key: request.POST.get(key, "") for key in request.POST}
        return _page(request, asked, token, language, values, checked.problems, 400)
    try:
        actions.confirm(asked, checked, timezone.now(), language)
    except actions.AlreadyAnswered:
        return _problem(request, "answered", 200)
    return redirect(reverse("feedback:thanks", args=[token]) + f"?taal={language}")


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    if too_many(request):
        return _problem(request, "busy", 429)
    asked, problem = _asked(token)
    if asked is None:
        return _problem(request, problem, 404)
    language = _language(request, asked)
    with translation.override(language):
        return _render("feedback/thanks.html", {"language": language})


def short(request: HttpRequest, code: str) -> HttpResponse:
    """The short address printed on a letter or card, with its code: on to the answer page."""
    if too_many(request):
        return _problem(request, "busy", 429)
    invitation = Invitation.objects.filter(code=clean_code(code)).first()
    if invitation is None:
        return _problem(request, "invalid", 404)
    return redirect("feedback:answer", token=token_for(invitation.pk, invitation.code))
