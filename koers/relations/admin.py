from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koers.relations.models import Consent, Event, Relation


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["external_id", "last_name", "first_name", "city", "status", "language"]
    list_filter = ["status", "kind", "language", "preferred_channel"]
    search_fields = ["external_id", "last_name", "first_name", "email", "postcode"]
    inlines = [ConsentInline]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["relation", "channel", "basis", "source", "given_at", "withdrawn_at"]
    list_filter = ["channel", "basis"]
    search_fields = ["relation__external_id", "source"]
    raw_id_fields = ["relation"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The event log is append-only evidence: it can be read here, never edited."""

    list_display = ["occurred_at", "kind", "relation", "source"]
    list_filter = ["kind", "source"]
    search_fields = ["relation__external_id"]
    raw_id_fields = ["relation"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
