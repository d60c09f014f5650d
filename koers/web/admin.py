"""The access log in the admin: to read and filter, never to change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koers.web.models import AccessEntry


@admin.register(AccessEntry)
class AccessEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "kind", "target", "client"]
    list_filter = ["kind"]
    search_fields = ["=username", "target"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
