"""Appreciation calendar pages: the calendars, one calendar and its moments, the moment form,
the year overview with its checks and charts, and the downloads (YAML, Excel, iCalendar)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.calendar import actions
from koers.calendar.charts import year_page
from koers.calendar.forms import CalendarForm, MomentForm
from koers.calendar.models import Calendar, Moment, YearOverview
from koers.calendar.plan import PlanError
from koers.calendar.progress import progress
from koers.calendar.report import Overview, checks_in
from koers.touchpoints.forecasts import forecasters
from koers.web.views import render_partial_or_page

EXAMPLE = "example"
# The year overview goes this many years back and ahead; further is guesswork on today's base.
YEARS_AROUND = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _this_year() -> int:
    return timezone.localdate().year


def _check_year(year: int) -> None:
    if abs(year - _this_year()) > YEARS_AROUND:
        raise Http404


def _with_journeys(request: HttpRequest) -> bool:
    return request.GET.get("klantreizen") == "1"


@login_required
@permission_required("calendar.view_calendar", raise_exception=True)
def calendar_list(request: HttpRequest) -> HttpResponse:
    calendars = Calendar.objects.annotate(
        yearly=Count("moments", filter=Q(moments__rule__isnull=False)),
        personal=Count("moments", filter=Q(moments__trigger__isnull=False)),
    )
    return render(request, "calendar/list.html", {"calendars": calendars, "year": _this_year()})


@login_required
@permission_required("calendar.edit_calendars", raise_exception=True)
@require_POST
def calendar_install(request: HttpRequest) -> HttpResponse:
    """Install the example calendar, unless a calendar of its key is already there."""
    key = actions.library()[EXAMPLE]["key"]
    if Calendar.objects.filter(key=key).exists():
        messages.error(request, _("De voorbeeldkalender is al geïnstalleerd."))
        return redirect("calendar:detail", key=key)
    try:
        calendar = actions.install(EXAMPLE)
    except PlanError as error:
        messages.error(
            request,
            _("De voorbeeldkalender kon niet worden geïnstalleerd: %(problems)s")
            % {"problems": "; ".join(error.problems)},
        )
        return redirect("calendar:list")
    messages.success(
        request,
        _("'%(name)s' is geïnstalleerd. Pas hem aan en zet de uitvoering aan als hij klaar is.")
        % {"name": calendar.name},
    )
    return redirect("calendar:detail", key=calendar.key)


def _row(moment: Moment) -> dict[str, Any]:
    spec = moment.spec()
    first = spec.channels[0] if spec.channels else ""
    return {
        "moment": moment,
        "when": spec.describe(),
        "groups": [g.name for g in moment.groups.all()],
        "channels": moment.channel_labels,
        "cost_cents": spec.cost_for(first),
    }


@login_required
@permission_required("calendar.view_calendar", raise_exception=True)
def calendar_detail(request: HttpRequest, key: str) -> HttpResponse:
    calendar = get_object_or_404(Calendar, key=key)
    rows = [_row(m) for m in calendar.moments.prefetch_related("groups").order_by("position")]
    context = {
        "calendar": calendar,
        "yearly": [row for row in rows if row["moment"].yearly],
        "personal": [row for row in rows if not row["moment"].yearly],
        "year": _this_year(),
    }
    return render(request, "calendar/detail.html", context)


@login_required
@permission_required("calendar.edit_calendars", raise_exception=True)
def calendar_settings(request: HttpRequest, key: str) -> HttpResponse:
    calendar = get_object_or_404(Calendar, key=key)
    form = CalendarForm(request.POST or None, calendar=calendar)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_settings(calendar, form.plan())
        except PlanError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return redirect("calendar:detail", key=calendar.key)
    return render(request, "calendar/settings.html", {"calendar": calendar, "form": form})


@login_required
@permission_required("calendar.edit_calendars", raise_exception=True)
@require_POST
def calendar_active(request: HttpRequest, key: str) -> HttpResponse:
    calendar = get_object_or_404(Calendar, key=key)
    active = request.POST.get("actief") == "1"
    actions.set_active(calendar, active)
    if active:
        text = _(
            "'%(name)s' wordt nu uitgevoerd: elke dag komen de contactmomenten van de komende "
            "%(days)s dagen klaar te staan."
        )
    else:
        text = _(
            "'%(name)s' wordt niet meer uitgevoerd: er worden geen nieuwe contactmomenten gepland."
        )
    messages.success(request, text % {"name": calendar.name, "days": calendar.lookahead_days})
    return redirect("calendar:detail", key=calendar.key)


@login_required
@permission_required("calendar.edit_calendars", raise_exception=True)
def moment_edit(request: HttpRequest, key: str, moment: str | None = None) -> HttpResponse:
    calendar = get_object_or_404(Calendar, key=key)
    stored = get_object_or_404(calendar.moments, key=moment) if moment else None
    spec = stored.spec() if stored else None
    form = MomentForm(request.POST or None, calendar=calendar, moment=spec)
    if request.method == "POST" and form.is_valid() and form.spec is not None:
        saved = actions.save_moment(calendar, form.spec)
        messages.success(request, _("Moment '%(name)s' is opgeslagen.") % {"name": saved.name})
        return redirect(reverse("calendar:detail", args=[calendar.key]) + f"#moment-{saved.key}")
    context = {"calendar": calendar, "form": form, "moment": stored}
    return render(request, "calendar/moment_form.html", context)


@login_required
@permission_required("calendar.edit_calendars", raise_exception=True)
def moment_delete(request: HttpRequest, key: str, moment: str) -> HttpResponse:
    """Asks first (a page of its own, so it works without JavaScript), then removes."""
    calendar = get_object_or_404(Calendar, key=key)
    stored = get_object_or_404(calendar.moments, key=moment)
    if request.method == "POST":
        actions.delete_moment(calendar, moment)
        messages.success(request, _("Moment '%(name)s' is verwijderd.") % {"name": stored.name})
        return redirect("calendar:detail", key=calendar.key)
    context = {"calendar": calendar, "moment": stored}
    return render(request, "calendar/moment_delete.html", context)


def _journey_names() -> dict[str, str]:
    """The other planners' contacts (the journeys') as the forecast names them, in words
    for a person (see base.journey_extras)."""
    names: dict[str, str] = {}
    for forecaster in forecasters():
        names.update(forecaster.names())
    return names


def _year_context(calendar: Calendar, year: int, overview: YearOverview) -> dict[str, Any]:
    journeys = overview.journeys
    this_year = _this_year()
    context: dict[str, Any] = {
        "calendar": calendar,
        "year": year,
        "overview": overview,
        "journeys": journeys,
        "previous": year - 1 if year - 1 >= this_year - YEARS_AROUND else None,
        "next": year + 1 if year + 1 <= this_year + YEARS_AROUND else None,
        "query": "?klantreizen=1" if journeys else "",
    }
    if overview.ready:
        figures = dict(overview.figures)
        figures["checks"] = checks_in(figures, translation.get_language())
        names = _journey_names() if journeys else {}
        context["page"] = year_page(figures, journeys, names)
    else:
        context["progress"] = progress(overview, timezone.now())
    return context


@login_required
@permission_required("calendar.view_calendar", raise_exception=True)
def calendar_year(request: HttpRequest, key: str, year: int) -> HttpResponse:
    """The year overview, worked out in the background: the figures once they are there,
    until then how far the work is (the partial polls itself, see _year_progress.html)."""
    calendar = get_object_or_404(Calendar, key=key)
    _check_year(year)
    overview = actions.request_overview(calendar, year, _with_journeys(request), timezone.now())
    context = _year_context(calendar, year, overview)
    partial = (
        "calendar/partials/_year.html" if overview.ready else "calendar/partials/_progress.html"
    )
    context["partial"] = partial
    return render_partial_or_page(request, partial, "calendar/year.html", context)


@login_required
@permission_required("calendar.view_calendar", raise_exception=True)
@require_POST
def calendar_year_retry(request: HttpRequest, key: str, year: int) -> HttpResponse:
    """Queue a year that failed or got stuck once more, then show its progress."""
    calendar = get_object_or_404(Calendar, key=key)
    _check_year(year)
    journeys = request.POST.get("klantreizen") == "1"
    overview = actions.request_overview(calendar, year, journeys, timezone.now())
    if not overview.ready and progress(overview, timezone.now()).may_retry:
        actions.retry_overview(overview)
    url = reverse("calendar:year", args=[calendar.key, year])
    return redirect(url + ("?klantreizen=1" if journeys else ""))


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required("calendar.view_calendar", raise_exception=True)
def download_yaml(request: HttpRequest, key: str) -> HttpResponse:
    calendar = get_object_or_404(Calendar, key=key)
    text = actions.export_yaml(calendar)
    return _download(text, "application/yaml; charset=utf-8", f"{calendar.key}.yaml")


def _stored(request: HttpRequest, key: str, year: int) -> Overview | HttpResponse:
    """The year as worked out for the page, or, while it is being worked out, the way back
    to the page that shows how far it is."""
    calendar = get_object_or_404(Calendar, key=key)
    _check_year(year)
    journeys = _with_journeys(request)
    overview = actions.request_overview(calendar, year, journeys, timezone.now())
    if overview.ready:
        return Overview(calendar.key, calendar.name, calendar.spec(), overview.figures)
    messages.info(
        request,
        _("Het jaaroverzicht wordt nog berekend; de download staat klaar zodra het af is."),
    )
    url = reverse("calendar:year", args=[calendar.key, year])
    return redirect(url + ("?klantreizen=1" if journeys else ""))


@login_required
@permission_required("calendar.view_calendar", raise_exception=True)
def download_ical(request: HttpRequest, key: str, year: int) -> HttpResponse:
    from koers.calendar.ical import feed

    stored = _stored(request, key, year)
    if isinstance(stored, HttpResponse):
        return stored
    return _download(feed(stored), "text/calendar; charset=utf-8", f"{key}-{year}.ics")


@login_required
@permission_required("calendar.view_calendar", raise_exception=True)
def download_excel(request: HttpRequest, key: str, year: int) -> HttpResponse:
    from koers.calendar.excel import write_workbook

    stored = _stored(request, key, year)
    if isinstance(stored, HttpResponse):
        return stored
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kalender.xlsx"
        write_workbook(stored, path)
        data = path.read_bytes()
    return _download(data, XLSX, f"{key}-{year}.xlsx")
