"""The journey editor: edit the fields, trigger and steps; check while typing; publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.journeys import actions
from koers.journeys.definition import DefinitionError, parse_definition
from koers.journeys.forms import JourneyForm, initial_for
from koers.journeys.models import Journey

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


@login_required
@permission_required("journeys.edit_journeys", raise_exception=True)
def journey_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    journey = get_object_or_404(Journey, key=key) if key else None
    stored = dict(journey.current.definition) if journey and journey.current else dict(NEW)
    form = JourneyForm(request.POST or None, initial=initial_for(stored))
    if journey is not None:
        form.fields["key"].disabled = True
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
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
    context: dict[str, Any] = {"form": form, "journey": journey, "problems": problems}
    return render(request, "journeys/edit.html", context)


@login_required
@permission_required("journeys.edit_journeys", raise_exception=True)
@require_POST
def journey_check(request: HttpRequest) -> HttpResponse:
    """The live check under the editor: what is wrong, or that it can be published."""
    form = JourneyForm(request.POST)
    problems: list[str] = []
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        ]
    else:
        try:
            parse_definition(form.definition())
        except DefinitionError as error:
            problems = error.problems
    return render(request, "journeys/partials/_check.html", {"problems": problems, "checked": True})
