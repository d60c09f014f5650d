"""Admin pages for relations, consents and the event log.

Edits go through the relation actions so that every change writes its event, exactly as
an import or the API would; consents and events are only read here (consents change
through imports and the withdraw action below, events are append-only evidence).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.relations.actions import (
    EDITABLE_FIELDS,
    create_relation,
    update_relation,
    withdraw_consent,
)
from koers.relations.choices import ContactChannel, EventSource
from koers.relations.models import Consent, Event, Relation
from koers.web.admin_display import ReadOnlyAdmin


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["channel", "basis", "source", "given_at", "withdrawn_at"]
    readonly_fields = ["channel", "basis", "source", "given_at", "withdrawn_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["external_id", "__str__", "city", "status", "kind", "language"]
    list_display_links = ["external_id", "__str__"]
    list_filter = ["status", "kind", "language", "preferred_channel"]
    search_fields = ["=external_id", "last_name", "organisation_name", "email", "=postcode"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ConsentInline]
    # A million rows: counting them all for every page view is the slow part.
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Relation, form: Any, change: bool) -> None:
        now = timezone.now()
        if change:
            original = Relation.objects.get(pk=obj.pk)
            edited = {f: getattr(obj, f) for f in form.changed_data if f in EDITABLE_FIELDS}
            update_relation(original, now=now, source=EventSource.WEB, **edited)
            return
        fields = {f: getattr(obj, f) for f in EDITABLE_FIELDS}
        created = create_relation(
            external_id=obj.external_id, now=now, source=EventSource.WEB, **fields
        )
        obj.pk = created.pk


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["relation", "channel", "basis", "source", "given_at", "withdrawn_at"]
    list_filter = ["channel", "basis", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["=relation__external_id", "source"]
    list_select_related = ["relation"]
    show_full_result_count = False
    actions = ["withdraw"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Needed for the withdraw action; the change form itself shows nothing editable.
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(request, obj)

    @admin.action(description=_("Geselecteerde toestemmingen intrekken"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Consent]) -> None:
        now = timezone.now()
        done = sum(
            withdraw_consent(c.relation, ContactChannel(c.channel), at=now, source=EventSource.WEB)
            for c in queryset.select_related("relation")
        )
        messages.success(request, _("%(n)d toestemming(en) ingetrokken.") % {"n": done})


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The event log is append-only evidence: it can be read here, never edited."""

    list_display = ["occurred_at", "kind", "relation", "source", "recorded_at"]
    list_filter = ["kind", "source"]
    search_fields = ["=relation__external_id"]
    list_select_related = ["relation"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
