"""Pages for fundraisers, strategists, analysts and callers. Thin: read, call an action, render."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.giving.choices import MandateStatus
from koers.giving.models import Mandate
from koers.groups.actions import GroupError, create_group, delete_group, update_group
from koers.groups.models import Facts, Group
from koers.groups.queries import count_members, members
from koers.groups.rules import FIELDS, RuleError
from koers.groups.wording import rule_in_words
from koers.relations.choices import RelationStatus
from koers.relations.models import Relation
from koers.spreadsheet import new_workbook
from koers.touchpoints.choices import Channel
from koers.touchpoints.models import Touchpoint
from koers.web import activity, mainmap
from koers.web.forms import GroupForm
from koers.web.paging import Page

PAGE_SIZE = 50
GIFTS_SHOWN = 25
EVENTS_SHOWN = 100
# Contacts on the relation page until "show all"; calls, tasks and answers shown at most.
CONTACTS_SHOWN = 25
OTHERS_SHOWN = 10


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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        request, "web/partials/_relation_table.html", "web/relation_list.html", context
    )


def _activity(relation: Relation, all_contacts: bool) -> dict[str, Any]:
    """What Koers does with the relation: journeys, contacts, calls, tasks, answers, and the
    timeline that puts them with the events (koers/web/activity.py)."""
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
    return render(request, "web/relation_detail.html", context)


@login_required
@permission_required("groups.view_group", raise_exception=True)
def group_list(request: HttpRequest) -> HttpResponse:
    # Counts arrive one by one (group_count) so the list shows at once on a large base.
    return render(request, "web/group_list.html", {"groups": Group.objects.order_by("name")})


@login_required
@permission_required("groups.view_group", raise_exception=True)
def group_count(request: HttpRequest, key: str) -> HttpResponse:
    group = get_object_or_404(Group, key=key)
    try:
        count: int | None = count_members(group, timezone.now())
    except RuleError:
        count = None
    return render(request, "web/partials/_group_count.html", {"group": group, "count": count})


def _save_group(group: Group | None, data: dict[str, Any]) -> Group:
    if group:
        return update_group(
            group, name=data["name"], rule=data["rule"], description=data["description"]
        )
    return create_group(
        key=data["key"], name=data["name"], rule=data["rule"], description=data["description"]
    )


@login_required
@permission_required("groups.edit_groups", raise_exception=True)
def group_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    group = get_object_or_404(Group, key=key) if key else None
    initial = (
        {"name": group.name, "key": group.key, "rule": group.rule, "description": group.description}
        if group
        else {}
    )
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_group(group, form.cleaned_data)
        except GroupError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Groep '%(name)s' is opgeslagen.") % {"name": saved.name})
            return redirect("web:groups")
    context = {"form": form, "group": group, "fields": FIELDS.values()}
    return render(request, "web/group_form.html", context)


_WORD = re.compile(r"[\w.]+|'[^']*'?|\S")


def _marked(rule: str, position: int) -> dict[str, str]:
    """The rule split around the word the error is about, so that word can be marked."""
    match = _WORD.match(rule, position) if position < len(rule) else None
    end = match.end() if match else position
    return {"before": rule[:position], "at": rule[position:end], "after": rule[end:]}


@login_required
@permission_required("groups.view_group", raise_exception=True)
@require_POST
def rule_count(request: HttpRequest) -> HttpResponse:
    """The live count under the rule field: members, or what is wrong and where."""
    rule = request.POST.get("rule", "")
    context: dict[str, Any] = {"rule": rule.strip()}
    try:
        context["count"] = count_members(rule, timezone.now()) if rule.strip() else 0
        context["words"] = rule_in_words(rule) if rule.strip() else ""
    except RuleError as error:
        context.update(_marked(rule, error.position), error=error.message)
    return render(request, "web/partials/_rule_count.html", context)


@login_required
@permission_required("groups.edit_groups", raise_exception=True)
@require_POST
def group_delete(request: HttpRequest, key: str) -> HttpResponse:
    group = get_object_or_404(Group, key=key)
    if group.is_preset:
        messages.error(request, _("Een standaardgroep kan niet worden verwijderd."))
        return redirect("web:group_edit", key=group.key)
    delete_group(group)
    messages.success(request, _("Groep '%(name)s' is verwijderd.") % {"name": group.name})
    return redirect("web:groups")
