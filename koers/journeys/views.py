"""Journey pages: the list by phase, the map with its figures, travellers, simulation, editor."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.journeys import actions, document, report
from koers.journeys.choices import EnrollmentState, ExitReason, JourneyStatus
from koers.journeys.definition import DefinitionError
from koers.journeys.forms import JourneyForm, initial_for
from koers.journeys.models import Enrollment, Journey, Phase
from koers.journeys.problems import placed
from koers.journeys.queries import current_definition, step_labels
from koers.journeys.simulation import simulate
from koers.journeys.truth import last_contact_open, moments_of_truth
from koers.journeys.workbook import add_journey_sheet
from koers.spreadsheet import new_workbook
from koers.touchpoints.choices import MADE
from koers.touchpoints.models import Touchpoint
from koers.web.paging import Page
from koers.web.views import render_partial_or_page

PAGE_SIZE = 50
# The enrollment list's filter for relations at the end of a journey whose last contact is
# still to be made (see koers.journeys.truth.last_contact_open).
LAST_CONTACT_OPEN = "laatste-contact"
# The simulation page offers these horizons; the command takes any number of days.
SIMULATION_DAYS = (30, 60, 90, 180)

NEW = {
    "status": "draft",
    "trigger": {"event": "mandate.started", "reentry": "once"},
    "exit_when": ["mandate_cancelled", "opt_out", "deceased"],
    "steps": [
        {
            "key": "bedankmail",
            "kind": "action",
            "channel": "email",
            "nature": "thank",
            "content": {"subject": "Dank u wel", "body": "{{ aanhef }}\n\nDank voor uw steun."},
        },
        {"key": "einde", "kind": "exit"},
    ],
}


def _editor_form(data: Any, journey: Journey | None) -> JourneyForm:
    """The editor's form, filled from the stored version. An existing journey's key cannot
    change: the field is disabled, a browser does not send it, and the form takes it from
    here, the same for the live check as for publishing."""
    stored = dict(journey.current.definition) if journey and journey.current else dict(NEW)
    initial = initial_for(stored)
    if journey is not None:
        initial["key"] = journey.key
    form = JourneyForm(data, initial=initial)
    if journey is not None:
        form.fields["key"].disabled = True
    return form


def _problems(form: JourneyForm) -> list[str]:
    """Everything that stops publishing, all at once: the form's fields, then the
    definition (with stand-ins for fields that are not valid) and what it refers to."""
    valid = form.is_valid()
    problems = [
        f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
        for name, errors in form.errors.items()
        if name in form.fields
    ]
    try:
        actions.check(form.definition() if valid else form.draft())
    except DefinitionError as error:
        problems += error.problems
    return problems


@login_required
@permission_required("journeys.edit_journeys", raise_exception=True)
def journey_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    journey = get_object_or_404(Journey, key=key) if key else None
    form = _editor_form(request.POST or None, journey)
    problems: list[str] = []
    if request.method == "POST":
        problems = _problems(form)
    if request.method == "POST" and not problems:
        try:
            version = actions.publish(
                form.definition(),
                note=_("bewerkt door %(user)s") % {"user": request.user.get_username()},
                running=form.cleaned_data["running"],
            )
        except DefinitionError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Versie %(number)s van '%(name)s' is gepubliceerd.")
                % {"number": version.number, "name": version.journey.name},
            )
            return redirect("journey_edit", key=version.journey.key)
    context: dict[str, Any] = {
        "form": form,
        "journey": journey,
        "published": placed(problems, form["steps"].value() or ""),
        "problems": problems,
    }
    return render(request, "journeys/edit.html", context)


@login_required
@permission_required("journeys.edit_journeys", raise_exception=True)
@require_POST
def journey_check(request: HttpRequest, key: str | None = None) -> HttpResponse:
    """The live check under the editor: every problem at its place, or that it can be
    published. For an existing journey it checks with the stored key."""
    journey = get_object_or_404(Journey, key=key) if key else None
    form = _editor_form(request.POST, journey)
    problems = _problems(form)
    context = {
        "places": placed(problems, form["steps"].value() or ""),
        "problems": problems,
        "checked": True,
    }
    return render(request, "journeys/partials/_check.html", context)


@login_required
@permission_required("journeys.view_journey", raise_exception=True)
def journey_list(request: HttpRequest) -> HttpResponse:
    """The main map: the phases left to right, each with its journeys and how busy they are."""
    since = timezone.now() - timedelta(days=30)
    journeys = Journey.objects.select_related("phase").annotate(
        travelling=Count(
            "enrollments", filter=Q(enrollments__state=EnrollmentState.ACTIVE), distinct=True
        )
    )
    contacts = dict(
        Touchpoint.objects.filter(journey__isnull=False, status__in=MADE, planned_at__gte=since)
        .values_list("journey")
        .annotate(n=Count("pk"))
        .order_by()
    )
    failing: dict[str, list[Any]] = {}
    for truth in moments_of_truth(timezone.now()):
        if truth.timeliness.failing:
            failing.setdefault(truth.journey_key, []).append(truth)
    by_phase: dict[int, list[Journey]] = {}
    for journey in journeys:
        journey.contacts_30d = contacts.get(journey.pk, 0)  # type: ignore[attr-defined]
        journey.failing = failing.get(journey.key, [])  # type: ignore[attr-defined]
        by_phase.setdefault(journey.phase_id, []).append(journey)
    phases = [(phase, by_phase.get(phase.pk, [])) for phase in Phase.objects.all()]
    return render(request, "journeys/list.html", {"phases": phases})


@login_required
@permission_required("journeys.view_journey", raise_exception=True)
def journey_map(request: HttpRequest, key: str) -> HttpResponse:
    journey = get_object_or_404(Journey.objects.select_related("phase", "group"), key=key)
    definition = current_definition(journey)
    fmt = request.GET.get("formaat")
    if fmt in ("xlsx", "pdf", "png") and definition is not None:
        found = report.journey_map(journey, definition, timezone.now())
        if fmt == "xlsx":
            return _workbook(found)
        paper = "A3" if request.GET.get("papier") == "A3" else "A4"
        make = document.pdf if fmt == "pdf" else document.png
        response = HttpResponse(
            make(found, timezone.now(), paper),
            content_type=f"{'application' if fmt == 'pdf' else 'image'}/{fmt}",
        )
        response["Content-Disposition"] = f'attachment; filename="klantreis-{key}.{fmt}"'
        return response
    context: dict[str, Any] = {
        "journey": journey,
        "phases": Phase.objects.all(),
        "map": report.journey_map(journey, definition, timezone.now()) if definition else None,
        "trigger": report.trigger_text(definition) if definition else None,
        "version": journey.current,
        "statuses": JourneyStatus.choices,
    }
    return render(request, "journeys/map.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(found: report.JourneyMap) -> HttpResponse:
    """The journey map as an Excel download (see koers.journeys.workbook)."""
    book = new_workbook()
    add_journey_sheet(book, found)
    body = BytesIO()
    book.save(body)
    response = HttpResponse(body.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="klantreis-{found.journey.key}.xlsx"'
    return response


@login_required
@permission_required("journeys.edit_journeys", raise_exception=True)
@require_POST
def journey_status(request: HttpRequest, key: str) -> HttpResponse:
    journey = get_object_or_404(Journey, key=key)
    try:
        status = JourneyStatus(request.POST.get("status", ""))
    except ValueError:
        messages.error(
            request, _("Kies een status: concept, actief, gepauzeerd of buiten gebruik.")
        )
    else:
        actions.set_status(journey, status)
        messages.success(
            request,
            _("'%(name)s' is nu %(status)s.") % {"name": journey.name, "status": status.label},
        )
    return redirect("journey_map", key=journey.key)


def _choice(value: str | None, choices: list[tuple[str, Any]]) -> str:
    """A filter value from the address bar, kept only when it is one of the choices."""
    return value if value in {code for code, _label in choices} else ""


@login_required
@permission_required("journeys.view_enrollment", raise_exception=True)
def journey_enrollments(request: HttpRequest, key: str) -> HttpResponse:
    """Who travels (or travelled) this journey, filtered by state, step and exit reason."""
    journey = get_object_or_404(Journey, key=key)
    definition = current_definition(journey)
    steps = [(step.key, step.label) for step in definition.steps] if definition else []
    states: list[tuple[str, Any]] = [*EnrollmentState.choices]
    # "Afgerond" only once the last contact is made; before that a relation waits for it.
    states.insert(2, (LAST_CONTACT_OPEN, _("wacht op het laatste contact")))
    state = _choice(request.GET.get("status"), states)
    step = _choice(request.GET.get("stap"), steps)
    reason = _choice(request.GET.get("reden"), ExitReason.choices)
    rows = (
        Enrollment.objects.filter(journey=journey)
        .select_related("relation", "version")
        .annotate(contact_open=last_contact_open())
    )
    if state == LAST_CONTACT_OPEN:
        rows = rows.filter(state=EnrollmentState.DONE, contact_open=True)
    elif state:
        rows = rows.filter(state=state)
    if state == EnrollmentState.DONE:
        rows = rows.filter(contact_open=False)
    if step:
        rows = rows.filter(step=step)
    if reason:
        rows = rows.filter(exit_reason=reason)
    page = Page.of(rows.order_by("-entered_at", "-id"), request.GET.get("pagina"), PAGE_SIZE)
    # A relation may still be on a step a newer version dropped: its label is in its version.
    labels = step_labels([journey.key]).get(journey.key, ("", {}))[1]
    for enrollment in page.object_list:
        enrollment.step_label = labels.get(enrollment.step, enrollment.step)
    context = {
        "journey": journey,
        "page": page,
        "steps": steps,
        "states": states,
        "reasons": ExitReason.choices,
        "filters": {"status": state, "stap": step, "reden": reason},
    }
    return render_partial_or_page(
        request, "journeys/partials/_enrollments.html", "journeys/enrollments.html", context
    )


@login_required
@permission_required("journeys.view_journey", raise_exception=True)
def journey_simulation(request: HttpRequest, key: str) -> HttpResponse:
    """What the journey would do on today's relation base, computed and thrown away."""
    journey = get_object_or_404(Journey, key=key)
    try:
        days = int(request.GET.get("dagen", "90"))
    except ValueError:
        days = 90
    days = days if days in SIMULATION_DAYS else 90
    context: dict[str, Any] = {
        "journey": journey,
        "days": days,
        "options": SIMULATION_DAYS,
    }
    definition = current_definition(journey)
    if request.GET.get("rekenen") and definition is not None:
        context["result"] = report.simulation_table(simulate(journey.key, days), definition)
    return render_partial_or_page(
        request, "journeys/partials/_simulation.html", "journeys/simulation.html", context
    )
