"""The page shell's own pages and the helpers every app's views share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from koers.giving.choices import MandateStatus
from koers.giving.models import Mandate
from koers.groups.models import Facts
from koers.relations.choices import RelationStatus
from koers.relations.models import Relation


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
    context = {"figures": figures, "refreshed": facts["refreshed"]}
    return render(request, "web/home.html", context)
