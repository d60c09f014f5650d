"""Admin pages for calendars: read only. Calendars are edited on their own pages and through
YAML, which check every moment; the admin would bypass those checks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from koers.calendar.models import Calendar, Moment
from koers.web.admin_display import ReadOnlyAdmin


class MomentInline(admin.TabularInline):
    model = Moment
    fields = ["position", "key", "name", "nature", "channels", "intensity", "holdout"]
    readonly_fields = ["position", "key", "name", "nature", "channels", "intensity", "holdout"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Calendar)
class CalendarAdmin(ReadOnlyAdmin):
    list_display = ["name", "key", "active", "lookahead_days", "max_per_month", "updated_at"]
    inlines = [MomentInline]
