"""The roles of Koers and what each may do. Roles are Django auth groups of these names."""

from __future__ import annotations

from typing import Any

VIEW_ALL = [
    "relations.view_relation",
    "relations.view_consent",
    "relations.view_event",
    "giving.view_gift",
    "giving.view_mandate",
    "giving.view_storno",
    "groups.view_group",
    "groups.view_facts",
    "groups.view_level",
]
EDIT_GROUPS = [
    "groups.add_group",
    "groups.change_group",
    "groups.delete_group",
    "groups.edit_groups",
]

JOURNEYS = [
    "journeys.view_journey",
    "journeys.view_phase",
    "journeys.view_enrollment",
    "touchpoints.view_touchpoint",
]
EDIT_JOURNEYS = ["journeys.edit_journeys", "journeys.add_journey", "journeys.change_journey"]
CALENDARS = ["calendar.view_calendar", "calendar.view_moment"]
EDIT_CALENDARS = [
    "calendar.edit_calendars",
    "calendar.add_calendar",
    "calendar.change_calendar",
    "calendar.add_moment",
    "calendar.change_moment",
    "calendar.delete_moment",
]
# Reading the feedback results: what relations answered and the figures made of it.
FEEDBACK = ["feedback.view_response", "feedback.view_instrument"]
# The comments themselves, in a relation's own words and with the relation number.
COMMENTS = ["feedback.view_comments"]
# Reading the insights: retention, lapsing donors (docs/insights.md).
INSIGHTS = ["insights.view_givingsummary"]

ROLES: dict[str, list[str]] = {
    # Administrators get every permission (see the migration) and the admin site.
    "beheerder": [],
    "strateeg": [
        *VIEW_ALL,
        *EDIT_GROUPS,
        *JOURNEYS,
        *EDIT_JOURNEYS,
        *CALENDARS,
        *EDIT_CALENDARS,
        *FEEDBACK,
        *COMMENTS,
        *INSIGHTS,
    ],
    "analist": [
        *VIEW_ALL,
        *JOURNEYS,
        *CALENDARS,
        *FEEDBACK,
        *COMMENTS,
        *INSIGHTS,
        "relations.import_data",
    ],
    "beller": [
        "relations.view_relation",
        "relations.view_consent",
        "relations.view_event",
        "giving.view_gift",
        "giving.view_mandate",
        "relations.use_call_list",
        "touchpoints.view_touchpoint",
    ],
    "kijker": [*VIEW_ALL, *JOURNEYS, *CALENDARS, *FEEDBACK],
    # The financial administration: checks mandates and collections (the welcome flow's
    # task when a first collection does not come), from the task list and the relation page.
    "administrateur": [
        "relations.view_relation",
        "relations.view_consent",
        "relations.view_event",
        "giving.view_gift",
        "giving.view_mandate",
        "giving.view_storno",
        "groups.view_facts",
        "touchpoints.view_touchpoint",
    ],
}

ADMINISTRATOR = "beheerder"


def roles_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Keep the admin-site flag (is_staff) in step with the beheerder role.

    Connected to User.groups changes, from either side (user.groups.add or
    role.user_set.add), so assigning a role in the admin is all it takes.
    Superusers keep their flag: they are the installation's own account.
    """
    from django.contrib.auth import get_user_model

    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    User = get_user_model()
    if not reverse:
        users = User.objects.filter(pk=instance.pk)
    elif instance.name == ADMINISTRATOR and pk_set:
        users = User.objects.filter(pk__in=pk_set)
    else:
        return
    for user in users.filter(is_superuser=False):
        staff = user.groups.filter(name=ADMINISTRATOR).exists()
        if user.is_staff != staff:
            User.objects.filter(pk=user.pk).update(is_staff=staff)
            if not reverse:
                instance.is_staff = staff
