"""Admin pages for instruments (editable) and responses (read only: they are the relation's)."""

from __future__ import annotations

from django.contrib import admin

from koers.feedback.models import Instrument, Response, SurveySkip
from koers.web.admin_display import ReadOnlyAdmin


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "kind", "scope", "recontact_days", "minimum_n"]
    list_filter = ["kind", "scope"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "relation", "score", "status", "channel", "answered_at"]
    list_filter = ["instrument", "status", "source"]
    raw_id_fields = ["relation", "touchpoint", "invitation"]


@admin.register(SurveySkip)
class SurveySkipAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "relation", "reason", "at"]
    list_filter = ["instrument", "reason"]
