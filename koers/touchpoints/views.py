"""Touchpoint pages: the public unsubscribe page (no login, never an error page), and the
staff pages: every touchpoint with filters, the possibly sent ones to decide about, the call
list and the task list."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core import signing
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from koers.channels.content import render as fill
from koers.channels.email import UNSUBSCRIBE_SALT
from koers.journeys.models import Journey
from koers.touchpoints.actions import (
    CALL_ATTEMPTS,
    TouchpointError,
    complete_task,
    decide_uncertain,
    record_call_outcome,
)
from koers.touchpoints.actions import unsubscribe as withdraw
from koers.touchpoints.choices import CallOutcome, Channel, Decision, SkipReason, Status
from koers.touchpoints.models import Touchpoint
from koers.web.paging import Page
from koers.web.views import render_partial_or_page

# A link stays valid for two years: people unsubscribe from old messages too.
MAX_AGE = 2 * 365 * 24 * 3600
PAGE_SIZE = 50
CALLS_PER_PAGE = 10
ADMINISTRATOR = "beheerder"


def _touchpoint(token: str) -> Touchpoint | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Touchpoint.objects.select_related("relation")
        .filter(pk=data.get("t"), relation_id=data.get("r"))
        .first()
    )


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client, without a form
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (mail scanners follow links); POST withdraws e-mail consent."""
    touchpoint = _touchpoint(token)
    if touchpoint is None:
        return render(request, "touchpoints/unsubscribe.html", {"state": "invalid"}, status=404)
    with translation.override(touchpoint.relation.language):
        if request.method == "POST":
            withdraw(touchpoint, at=timezone.now())
            state = "done"
        else:
            state = "confirm"
        context = {"state": state, "email": touchpoint.relation.email}
        return render(request, "touchpoints/unsubscribe.html", context)


def _choice(value: str | None, choices: list[tuple[str, Any]]) -> str:
    """A filter value from the address bar, kept only when it is one of the choices."""
    return value if value in {code for code, _label in choices} else ""


@login_required
@permission_required("touchpoints.view_touchpoint", raise_exception=True)
def touchpoint_list(request: HttpRequest) -> HttpResponse:
    """Every planned, made and skipped contact, newest first, filtered."""
    journeys = list(Journey.objects.order_by("name").values_list("key", "name"))
    filters = {
        "klantreis": _choice(request.GET.get("klantreis"), journeys),
        "kanaal": _choice(request.GET.get("kanaal"), Channel.choices),
        "status": _choice(request.GET.get("status"), Status.choices),
        "reden": _choice(request.GET.get("reden"), SkipReason.choices),
        "stap": request.GET.get("stap", "").strip()[:64],
    }
    rows = Touchpoint.objects.select_related("relation", "journey")
    lookups = {
        "klantreis": "journey__key",
        "kanaal": "channel",
        "status": "status",
        "reden": "skip_reason",
        "stap": "step",
    }
    for name, value in filters.items():
        if value:
            rows = rows.filter(**{lookups[name]: value})
    page = Page.of(rows.order_by("-planned_at", "-id"), request.GET.get("pagina"), PAGE_SIZE)
    context = {
        "page": page,
        "filters": filters,
        "query": urlencode({name: value for name, value in filters.items() if value}),
        "query_without_step": urlencode(
            {name: value for name, value in filters.items() if value and name != "stap"}
        ),
        "journeys": journeys,
        "channels": Channel.choices,
        "statuses": Status.choices,
        "reasons": SkipReason.choices,
        "uncertain": Touchpoint.objects.filter(status=Status.UNCERTAIN).count(),
    }
    return render_partial_or_page(
        request, "touchpoints/partials/_touchpoints.html", "touchpoints/list.html", context
    )


@login_required
@permission_required("touchpoints.view_touchpoint", raise_exception=True)
def uncertain_list(request: HttpRequest) -> HttpResponse:
    """Touchpoints a worker handed over but could not record: did they arrive?"""
    rows = (
        Touchpoint.objects.filter(status=Status.UNCERTAIN)
        .select_related("relation", "journey")
        .order_by("handed_at", "id")
    )
    context = {
        "page": Page.of(rows, request.GET.get("pagina"), PAGE_SIZE),
        "may_decide": request.user.has_perm("touchpoints.change_touchpoint"),
        "decisions": Decision,
    }
    return render(request, "touchpoints/uncertain.html", context)


@login_required
@permission_required("touchpoints.change_touchpoint", raise_exception=True)
@require_POST
def uncertain_decide(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("relation"), pk=pk)
    try:
        decision = Decision(request.POST.get("besluit", ""))
    except ValueError:
        messages.error(request, _("Kies: opnieuw versturen, of is aangekomen."))
        return redirect("uncertain")
    try:
        decide_uncertain(touchpoint, decision, at=timezone.now(), by=request.user.get_username())
    except TouchpointError as error:
        messages.error(request, str(error))
        return redirect("uncertain")
    name = touchpoint.relation.display_name
    if decision == Decision.SENT:
        text = _("Het contactmoment voor %(name)s is vastgelegd als verstuurd.")
    else:
        text = _("Het contactmoment voor %(name)s wordt opnieuw verstuurd.")
    messages.success(request, text % {"name": name})
    return redirect("uncertain")


def _open(channel: str) -> QuerySet[Touchpoint]:
    return (
        Touchpoint.objects.filter(channel=channel, status=Status.OPEN)
        .select_related(
            "relation",
            "relation__facts",
            "relation__facts__mandate",
            "journey",
            "enrollment__version",
        )
        .order_by(F("deadline").asc(nulls_last=True), "planned_at", "id")
    )


def _filled(touchpoint: Touchpoint, field: str) -> str:
    """A content field filled in, its lines joined into paragraphs (texts are written with
    hard line breaks). A broken text shows as written rather than failing the list."""
    try:
        text = fill(touchpoint, field)
    except TemplateSyntaxError:  # one broken text must not hide the whole list
        text = str(touchpoint.fields.get(field) or "")
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


@login_required
@permission_required("relations.use_call_list", raise_exception=True)
def call_list(request: HttpRequest) -> HttpResponse:
    """Calls ready to be made: most urgent first, with script, summary and outcome buttons."""
    page = Page.of(_open(Channel.PHONE), request.GET.get("pagina"), CALLS_PER_PAGE)
    for touchpoint in page.object_list:
        touchpoint.script = _filled(touchpoint, "script")
    context = {
        "page": page,
        "outcomes": CallOutcome.choices,
        "attempts": CALL_ATTEMPTS,
        "now": timezone.now(),
    }
    return render(request, "touchpoints/calls.html", context)


@login_required
@permission_required("relations.use_call_list", raise_exception=True)
@require_POST
def call_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("relation"), pk=pk)
    try:
        outcome = CallOutcome(request.POST.get("outcome", ""))
    except ValueError:
        messages.error(request, _("Kies een uitkomst van het gesprek."))
        return redirect("calls")
    try:
        saved = record_call_outcome(
            touchpoint,
            outcome,
            at=timezone.now(),
            by=request.user.get_username(),
            note=request.POST.get("note", "").strip()[:500],
        )
    except TouchpointError as error:
        messages.error(request, str(error))
        return redirect("calls")
    name = touchpoint.relation.display_name
    if saved.status == Status.OPEN:
        messages.success(
            request,
            _("%(outcome)s bij %(name)s: het gesprek blijft op de lijst voor een nieuwe poging.")
            % {"outcome": outcome.label.capitalize(), "name": name},
        )
    else:
        messages.success(
            request,
            _("Uitkomst '%(outcome)s' is opgeslagen bij %(name)s.")
            % {"outcome": outcome.label, "name": name},
        )
    return redirect("calls")


def _roles(request: HttpRequest) -> set[str]:
    return set(request.user.groups.values_list("name", flat=True))


def _may_do(request: HttpRequest, touchpoint: Touchpoint, roles: set[str]) -> bool:
    """A task is for its role; the administrator may do every task."""
    user = request.user
    if user.is_superuser or ADMINISTRATOR in roles:
        return True
    return touchpoint.role in roles


@login_required
@permission_required("touchpoints.view_touchpoint", raise_exception=True)
def task_list(request: HttpRequest) -> HttpResponse:
    """Staff work from journeys: for my roles by default, everyone's on request."""
    roles = _roles(request)
    everyone = request.GET.get("wie") == "iedereen"
    rows = _open(Channel.TASK)
    sees_all = request.user.is_superuser or ADMINISTRATOR in roles
    if not everyone and not sees_all:
        rows = rows.filter(role__in=sorted(roles) or [""])
    page = Page.of(rows, request.GET.get("pagina"), PAGE_SIZE)
    for touchpoint in page.object_list:
        touchpoint.title = _filled(touchpoint, "title") or touchpoint.step
        touchpoint.script = _filled(touchpoint, "script")
        touchpoint.may_do = _may_do(request, touchpoint, roles)
    context = {"page": page, "everyone": everyone, "sees_all": sees_all, "now": timezone.now()}
    return render(request, "touchpoints/tasks.html", context)


@login_required
@permission_required("touchpoints.view_touchpoint", raise_exception=True)
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("relation"), pk=pk)
    if not _may_do(request, touchpoint, _roles(request)):
        messages.error(request, _("Deze taak is voor een andere rol; u kunt haar niet afhandelen."))
        return redirect("tasks")
    done = request.POST.get("done") == "1"
    try:
        complete_task(touchpoint, done=done, at=timezone.now(), by=request.user.get_username())
    except TouchpointError as error:
        messages.error(request, str(error))
    else:
        name = touchpoint.relation.display_name
        message = (
            _("Taak voor %(name)s is afgerond.")
            if done
            else _("Taak voor %(name)s is als niet gedaan gemeld.")
        )
        messages.success(request, message % {"name": name})
    return redirect("tasks")
