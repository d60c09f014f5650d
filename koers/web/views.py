"""Pages for fundraisers, strategists, analysts and callers. Thin: read, call an action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.giving.choices import MandateStatus
from koers.giving.models import Mandate
from koers.groups.actions import GroupError, create_group, delete_group, update_group
from koers.groups.models import Facts, Group
from koers.groups.queries import count_members, members
from koers.groups.rules import RuleError
from koers.relations.choices import RelationStatus
from koers.relations.models import Relation
from koers.web.forms import GroupForm

PAGE_SIZE = 50


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    facts = Facts.objects.aggregate(
        donors=Count("pk", filter=Q(gifts_12m_count__gt=0)), given=Sum("gifts_12m_cents")
    )
    figures = {
        "relations": Relation.objects.filter(status=RelationStatus.ACTIVE).count(),
        "donors": facts["donors"] or 0,
        "mandates": Mandate.objects.filter(status=MandateStatus.ACTIVE).count(),
        "given": facts["given"] or 0,
    }
    return render(request, "web/home.html", {"figures": figures})


def _relations(request: HttpRequest, group: Group | None) -> QuerySet[Relation]:
    relations = members(group) if group else Relation.objects.all()
    relations = relations.search(request.GET.get("q", ""))  # type: ignore[attr-defined]
    return relations.select_related("facts", "facts__level", "facts__mandate")


@login_required
@permission_required("relations.view_relation", raise_exception=True)
def relation_list(request: HttpRequest) -> HttpResponse:
    groups = Group.objects.order_by("name")
    group = groups.filter(key=request.GET.get("groep", "")).first()
    page = Paginator(_relations(request, group), PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {"page": page, "groups": groups, "group": group, "q": request.GET.get("q", "")}
    template = "web/partials/_relation_table.html" if is_htmx(request) else "web/relation_list.html"
    return render(request, template, context)


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
        "gifts": gifts[:25],
        "gift_count": gifts.count(),
        "mandates": relation.mandates.prefetch_related("stornos").order_by("-start_date"),
        "events": relation.events.order_by("-occurred_at", "-id")[:100],
    }
    return render(request, "web/relation_detail.html", context)


@login_required
@permission_required("groups.view_group", raise_exception=True)
def group_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    groups = [(group, count_members(group, now)) for group in Group.objects.order_by("name")]
    return render(request, "web/group_list.html", {"groups": groups})


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
        data = form.cleaned_data
        try:
            if group:
                group = update_group(
                    group, name=data["name"], rule=data["rule"], description=data["description"]
                )
            else:
                group = create_group(
                    key=data["key"],
                    name=data["name"],
                    rule=data["rule"],
                    description=data["description"],
                )
        except GroupError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Groep '%(name)s' is opgeslagen.") % {"name": group.name})
            return redirect("web:groups")
    return render(request, "web/group_form.html", {"form": form, "group": group})


@login_required
@permission_required("groups.view_group", raise_exception=True)
@require_POST
def rule_count(request: HttpRequest) -> HttpResponse:
    """The live count under the rule field: members, or what is wrong and where."""
    rule = request.POST.get("rule", "")
    context: dict[str, object] = {"rule": rule}
    try:
        context["count"] = count_members(rule)
    except RuleError as error:
        context.update(
            error=error.message, before=rule[: error.position], at=rule[error.position :]
        )
    return render(request, "web/partials/_rule_count.html", context)


@login_required
@permission_required("groups.edit_groups", raise_exception=True)
@require_POST
def group_delete(request: HttpRequest, key: str) -> HttpResponse:
    group = get_object_or_404(Group, key=key)
    delete_group(group)
    messages.success(request, _("Groep '%(name)s' is verwijderd.") % {"name": group.name})
    return redirect("web:groups")
