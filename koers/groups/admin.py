from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koers.groups.models import Facts, Group, Level


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "min_annual_cents"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "rule", "is_preset"]
    search_fields = ["name", "key", "rule"]


@admin.register(Facts)
class FactsAdmin(admin.ModelAdmin):
    """Facts are computed by the refresh; editing them by hand would be overwritten."""

    list_display = ["relation", "annual_support_cents", "gifts_12m_cents", "last_gift_on", "level"]
    list_filter = ["level"]
    search_fields = ["relation__external_id"]
    raw_id_fields = ["relation", "mandate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
