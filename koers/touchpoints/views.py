"""Touchpoint pages: the public unsubscribe page (no login, never an error page), and the
staff pages: every touchpoint with filters, the possibly sent ones to decide about, the call
list and the task list."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from koers.calendar.models import Moment
from koers.channels.content import TextError
from koers.channels.content import render as fill
from koers.channels.email import open_unsubscribe_token
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
from koers.touchpoints.queries import days_late
from koers.touchpoints.sources import label, name_sources, split
from koers.web.limits import too_many
from koers.web.paging import Page
from koers.web.views import render_partial_or_page

PAGE_SIZE = 50
CALLS_PER_PAGE = 10
ADMINISTRATOR = "beheerder"


def _touchpoint(token: str) -> Touchpoint | None:
    """The touchpoint of a genuine link: signed, and with its relation's stored secret."""
    opened = open_unsubscribe_token(token)
    if opened is None:
        return None
    number, secret = opened
    found = Touchpoint.objects.select_related("relation").filter(pk=number).first()
    if found is None or not constant_time_compare(found.relation.unsubscribe_secret, secret):
        return None
    return found


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client, without a form
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (mail scanners follow links); POST withdraws e-mail consent.

    Every request counts towards its client's limit, and over it only a genuine link's POST
    is still honoured: a withdrawal must never fail, and one-click unsubscribes from a big
    mailbox provider arrive from a few addresses in numbers.
    """
    busy = too_many(request)
    touchpoint = _touchpoint(token)
    if touchpoint is None:
        state, status = ("busy", 429) if busy else ("invalid", 404)
        return render(request, "touchpoints/unsubscribe.html", {"state": state}, status=status)
    with translation.override(touchpoint.relation.language):
        if request.method == "POST":
            withdraw(touchpoint, at=timezone.now())
            state, status = "done", 200
        else:
            state, status = ("busy", 429) if busy else ("confirm", 200)
        context = {"state": state, "email": touchpoint.relation.email}
        return render(request, "touchpoints/unsubscribe.html", context, status=status)


def _choice(value: str | None, choices: list[tuple[str, Any]]) -> str:
    """A filter value from the address bar, kept only when it is one of the choices."""
    return value if value in {code for code, _label in choices} else ""


def _sources() -> list[tuple[str, list[tuple[str, str]]]]:
    """What the list can be filtered on, grouped: the journeys, then each calendar's moments."""
    journeys = [
        (f"journey:{key}", name)
        for key, name in Journey.objects.order_by("name").values_list("key", "name")
    ]
    calendars: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    moments = Moment.objects.select_related("calendar").order_by(
        "calendar__name", "calendar_id", "position", "id"
    )
    for moment in moments:
        calendar = calendars.setdefault(moment.calendar_id, (moment.calendar.name, []))
        calendar[1].append((moment.source, moment.name))
    groups = [(str(_("Klantreizen")), journeys), *calendars.values()]
    return [(name, options) for name, options in groups if options]


def _source_filter(request: HttpRequest, groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """The chosen journey or moment; `klantreis=KEY` (the journey map's links) as well."""
    chosen = request.GET.get("bron") or ""
    if not chosen and request.GET.get("klantreis"):
        chosen = f"journey:{request.GET['klantreis']}"
    return _choice(chosen, [option for _label, options in groups for option in options])


@login_required
@permission_required("touchpoints.view_touchpoint", raise_exception=True)
def touchpoint_list(request: HttpRequest) -> HttpResponse:
    """Every planned, made and skipped contact, newest first, filtered."""
    sources = _sources()
    filters = {
        "bron": _source_filter(request, sources),
        "kanaal": _choice(request.GET.get("kanaal"), Channel.choices),
        "status": _choice(request.GET.get("status"), Status.choices),
        "reden": _choice(request.GET.get("reden"), SkipReason.choices),
        "stap": request.GET.get("stap", "").strip()[:64],
    }
    rows = Touchpoint.objects.select_related("relation", "journey")
    kind, owner, _item = split(filters["bron"])
    if kind == "journey":
        rows = rows.filter(journey__key=owner)
    elif kind == "calendar":
        rows = rows.filter(source=filters["bron"])
    lookups = {"kanaal": "channel", "status": "status", "reden": "skip_reason", "stap": "step"}
    for name, lookup in lookups.items():
        if filters[name]:
            rows = rows.filter(**{lookup: filters[name]})
    page = Page.of(rows.order_by("-planned_at", "-id"), request.GET.get("pagina"), PAGE_SIZE)
    label(page.object_list)
    step = f"journey:{owner}:{filters['stap']}" if kind == "journey" else ""
    context = {
        "page": page,
        "filters": filters,
        "step_name": name_sources([step])[step].part if step and filters["stap"] else "",
        "query_without_step": urlencode(
            {name: value for name, value in filters.items() if value and name != "stap"}
        ),
        "sources": sources,
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


def _filled(touchpoint: Touchpoint, field: str) -> tuple[str, str]:
    """(text, problem): the content field filled in, its lines joined into paragraphs (texts
    are written with hard line breaks), and no problem; for a text the sandbox refuses, no
    text at all (see koers.channels.texts) and the problem, which the page shows in its
    place. One broken text must not hide the whole list."""
    try:
        text = fill(touchpoint, field)
    except TextError as error:
        return "", "; ".join(error.problems)
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text), ""


@login_required
@permission_required("relations.use_call_list", raise_exception=True)
def call_list(request: HttpRequest) -> HttpResponse:
    """Calls ready to be made: most urgent first, with script, summary and outcome buttons."""
    now = timezone.now()
    page = Page.of(_open(Channel.PHONE), request.GET.get("pagina"), CALLS_PER_PAGE)
    label(page.object_list)
    for touchpoint in page.object_list:
        touchpoint.script, touchpoint.text_problem = _filled(touchpoint, "script")
        touchpoint.days_late = days_late(touchpoint.deadline, now)
    context = {
        "page": page,
        "outcomes": CallOutcome.choices,
        "attempts": CALL_ATTEMPTS,
        "now": now,
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
    roles, now = _roles(request), timezone.now()
    everyone = request.GET.get("wie") == "iedereen"
    rows = _open(Channel.TASK)
    sees_all = request.user.is_superuser or ADMINISTRATOR in roles
    if not everyone and not sees_all:
        rows = rows.filter(role__in=sorted(roles) or [""])
    page = Page.of(rows, request.GET.get("pagina"), PAGE_SIZE)
    label(page.object_list)
    for touchpoint in page.object_list:
        # Without a title of its own, a task is called after its step or moment.
        title, title_problem = _filled(touchpoint, "title")
        touchpoint.title = title or touchpoint.source_name.part
        touchpoint.script, script_problem = _filled(touchpoint, "script")
        touchpoint.text_problem = title_problem or script_problem
        touchpoint.may_do = _may_do(request, touchpoint, roles)
        touchpoint.days_late = days_late(touchpoint.deadline, now)
    context = {"page": page, "everyone": everyone, "sees_all": sees_all, "now": now}
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
