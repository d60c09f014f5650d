"""The page shell's own pages and the helpers every app's views share."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from koers.giving.choices import MandateStatus
from koers.giving.models import Mandate
from koers.groups.models import Facts
from koers.journeys.queries import failing_moments_of_truth
from koers.relations.choices import RelationStatus
from koers.relations.models import Relation
from koers.spreadsheet import new_workbook
from koers.touchpoints.actions import CALL_ATTEMPTS
from koers.touchpoints.queries import days_late, own_work
from koers.web import mainmap
from koers.web.roles import ADMINISTRATOR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_htmx(request: HttpRequest) -> bool:
    """An htmx swap wants the partial; a history restore (back button) wants the full page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_partial_or_page(
    request: HttpRequest, partial: str, page: str, context: dict[str, Any]
) -> HttpResponse:
    response = render(request, partial if is_htmx(request) else page, context)
    # The same URL answers with two bodies; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organisation's figures and its moments of truth that fail; for staff who do the
    calls and tasks (no organisation-wide reading), their own work instead."""
    user = request.user
    if not user.has_perm("groups.view_group") and user.has_perm("touchpoints.view_touchpoint"):
        return _own_home(request)
    facts = Facts.objects.aggregate(
        donors=Count("pk", filter=Q(gifts_12m_count__gt=0)),
        given=Sum("gifts_12m_cents"),
        refreshed=Max("refreshed_at"),
    )
    figures = {
        "relations": Relation.objects.filter(status=RelationStatus.ACTIVE).count(),
        "donors": facts["donors"] or 0,
        "mandates": Mandate.objects.filter(status=MandateStatus.ACTIVE).count(),
        "given": facts["given"] or 0,
    }
    context: dict[str, Any] = {"figures": figures, "refreshed": facts["refreshed"]}
    if user.has_perm("journeys.view_journey"):
        context["failing"], context["target"] = failing_moments_of_truth(timezone.now())
    return render(request, "web/home.html", context)


@login_required
@permission_required("journeys.view_journey", raise_exception=True)
def main_map(request: HttpRequest) -> HttpResponse:
    """The hoofdkaart: phases across, relation groups down, journeys and moments in between."""
    found = mainmap.main_map(timezone.now())
    if request.GET.get("formaat") == "xlsx":
        book = new_workbook()
        mainmap.add_main_map_sheet(book, found)
        body = BytesIO()
        book.save(body)
        response = HttpResponse(body.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="hoofdkaart.xlsx"'
        return response
    return render(request, "web/main_map.html", {"map": found})


def _own_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = set(user.groups.values_list("name", flat=True))
    now = timezone.now()
    work = own_work(
        user.get_username(),
        roles,
        calls=user.has_perm("relations.use_call_list"),
        all_tasks=user.is_superuser or ADMINISTRATOR in roles,
        now=now,
    )
    for call in work.urgent:
        call.days_late = days_late(call.deadline, now)
    context = {
        "work": work,
        "may_call": user.has_perm("relations.use_call_list"),
        "attempts": CALL_ATTEMPTS,
    }
    return render(request, "web/home_own.html", context)
