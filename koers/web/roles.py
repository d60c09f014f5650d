"""The roles of Koers and what each may do. Roles are Django auth groups of these names."""

from __future__ import annotations

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

ROLES: dict[str, list[str]] = {
    # Administrators get every permission (see the migration) and the admin site.
    "beheerder": [],
    "strateeg": [*VIEW_ALL, *EDIT_GROUPS],
    "analist": [*VIEW_ALL, "relations.import_data"],
    "beller": [
        "relations.view_relation",
        "relations.view_consent",
        "relations.view_event",
        "giving.view_gift",
        "giving.view_mandate",
        "relations.use_call_list",
    ],
    "kijker": list(VIEW_ALL),
}
