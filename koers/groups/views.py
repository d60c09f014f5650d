"""The groups' pages: the list with live counts, the rule editor, and its live count."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.groups.actions import GroupError, create_group, delete_group, update_group
from koers.groups.forms import GroupForm
from koers.groups.models import Group
from koers.groups.queries import count_members
from koers.groups.rules import FIELDS, RuleError
from koers.groups.wording import rule_in_words


@login_required
@permission_required("groups.view_group", raise_exception=True)
def group_list(request: HttpRequest) -> HttpResponse:
    # Counts arrive one by one (group_count) so the list shows at once on a large base.
    return render(request, "groups/group_list.html", {"groups": Group.objects.order_by("name")})


@login_required
@permission_required("groups.view_group", raise_exception=True)
def group_count(request: HttpRequest, key: str) -> HttpResponse:
    group = get_object_or_404(Group, key=key)
    try:
        count: int | None = count_members(group, timezone.now())
    except RuleError:
        count = None
    return render(request, "groups/partials/_group_count.html", {"group": group, "count": count})


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
            return redirect("groups:list")
    context = {"form": form, "group": group, "fields": FIELDS.values()}
    return render(request, "groups/group_form.html", context)


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
    return render(request, "groups/partials/_rule_count.html", context)


@login_required
@permission_required("groups.edit_groups", raise_exception=True)
@require_POST
def group_delete(request: HttpRequest, key: str) -> HttpResponse:
    group = get_object_or_404(Group, key=key)
    if group.is_preset:
        messages.error(request, _("Een standaardgroep kan niet worden verwijderd."))
        return redirect("groups:edit", key=group.key)
    delete_group(group)
    messages.success(request, _("Groep '%(name)s' is verwijderd.") % {"name": group.name})
    return redirect("groups:list")
