from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation, with the current section marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items: list[tuple[Any, str, str | None]] = [(_("Overzicht"), reverse("web:home"), None)]
    if user.has_perm("relations.view_relation"):
        items.append((_("Relaties"), reverse("relations:list"), "relaties"))
    if user.has_perm("groups.view_group"):
        items.append((_("Groepen"), reverse("groups:list"), "groepen"))
    if user.has_perm("journeys.view_journey"):
        items.append((_("Klantreizen"), reverse("journeys"), "klantreizen"))
    if user.has_perm("calendar.view_calendar"):
        items.append((_("Waarderingskalender"), reverse("calendar:list"), "kalender"))
    if user.has_perm("feedback.view_response"):
        items.append((_("Feedback"), reverse("feedback_results:list"), "feedback"))
    if user.has_perm("insights.view_givingsummary"):
        items.append((_("Inzichten"), reverse("insights:overview"), "inzichten"))
    if user.has_perm("touchpoints.view_touchpoint"):
        items.append((_("Contactmomenten"), reverse("touchpoints"), "contactmomenten"))
    if user.has_perm("relations.use_call_list"):
        items.append((_("Bellijst"), reverse("calls"), "bellijst"))
    if user.has_perm("touchpoints.view_touchpoint"):
        items.append((_("Taken"), reverse("tasks"), "taken"))
    if user.is_staff:
        items.append((_("Beheer"), reverse("admin:index"), "admin"))
    path = request.path
    nav = [
        {
            "label": label,
            "url": url,
            "active": (path == url) if section is None else path.startswith(url),
        }
        for label, url, section in items
    ]
    return {"nav": nav}
