"""The relations' pages: the list with search and group filter, and one relation's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from koers.groups.models import Facts, Group
from koers.groups.queries import members
from koers.relations import activity
from koers.relations.models import Relation
from koers.touchpoints.choices import Channel
from koers.touchpoints.models import Touchpoint
from koers.web.audit import record_access
from koers.web.models import AccessKind
from koers.web.paging import Page
from koers.web.views import render_partial_or_page

PAGE_SIZE = 50
GIFTS_SHOWN = 25
EVENTS_SHOWN = 100
# Contacts on the relation page until "show all"; calls, tasks and answers shown at most.
CONTACTS_SHOWN = 25
OTHERS_SHOWN = 10


# Alphabetical the Dutch way: on last name (without tussenvoegsel), organisations on their
# name among the people rather than all of them first (their last name is empty).
BY_NAME = (Coalesce(NullIf("last_name", Value("")), "organisation_name"), "first_name", "id")


def _relations(text: str, group: Group | None) -> QuerySet[Relation]:
    relations = members(group) if group else Relation.objects.all()
    relations = relations.search(text)  # type: ignore[attr-defined]
    return relations.select_related("facts", "facts__level", "facts__mandate").order_by(*BY_NAME)


@login_required
@permission_required("relations.view_relation", raise_exception=True)
def relation_list(request: HttpRequest) -> HttpResponse:
    groups = Group.objects.order_by("name")
    group = groups.filter(key=request.GET.get("groep", "")).first()
    text = request.GET.get("q", "").strip()
    page = Page.of(_relations(text, group), request.GET.get("pagina"), PAGE_SIZE)
    context = {"page": page, "groups": groups, "group": group, "q": text}
    return render_partial_or_page(
        request, "relations/partials/_relation_table.html", "relations/relation_list.html", context
    )


def _activity(relation: Relation, all_contacts: bool) -> dict[str, Any]:
    """What Koers does with the relation: journeys, contacts, calls, tasks, answers, and the
    timeline that puts them with the events (koers/relations/activity.py)."""
    sources = Touchpoint.objects.filter(relation=relation).values_list("source", flat=True)
    names = activity.Names.of(sources.distinct())
    places = activity.journeys(relation, names)
    found = activity.contacts(relation, names, None if all_contacts else CONTACTS_SHOWN)
    answers, answer_count = activity.answers(relation, names, OTHERS_SHOWN)
    events = list(relation.events.order_by("-occurred_at", "-id")[:EVENTS_SHOWN])
    return {
        "journeys": places,
        "contacts": found,
        "all_contacts": all_contacts,
        "calls": activity.contacts(relation, names, OTHERS_SHOWN, channel=Channel.PHONE),
        "tasks": activity.contacts(relation, names, OTHERS_SHOWN, channel=Channel.TASK),
        "answers": answers,
        "answer_count": answer_count,
        "timeline": activity.timeline(events, found.rows, places)[:EVENTS_SHOWN],
        "event_count": relation.events.count(),
    }


@login_required
@permission_required("relations.view_relation", raise_exception=True)
def relation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    relation = get_object_or_404(Relation, pk=pk)
    record_access(request, AccessKind.RELATION_VIEWED, f"relatie {relation.external_id}")
    facts = Facts.objects.filter(relation=relation).select_related("level").first()
    gifts = relation.gifts.order_by("-received_on", "-id")
    context = {
        "relation": relation,
        "facts": facts,
        "consents": relation.consents.order_by("channel"),
        "gifts": gifts[:GIFTS_SHOWN],
        "gift_count": gifts.count(),
        "mandates": relation.mandates.prefetch_related("stornos").order_by("-start_date"),
        **_activity(relation, request.GET.get("contactmomenten") == "alle"),
    }
    return render(request, "relations/relation_detail.html", context)
