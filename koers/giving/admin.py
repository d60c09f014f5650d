"""Admin pages for gifts, mandates and stornos: read here, written by imports and actions.

Money records feed the event log and the facts; an edit by hand in the admin would
bypass both, so these pages only read.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from koers.giving.models import Gift, Mandate, Storno
from koers.web.admin_display import ReadOnlyAdmin, euro_column


class StornoInline(admin.TabularInline):
    model = Storno
    extra = 0
    fields = ["occurred_on", "amount_cents", "reason"]
    readonly_fields = ["occurred_on", "amount_cents", "reason"]
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Gift)
class GiftAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "relation", "amount", "kind", "campaign", "payment_channel"]
    list_filter = ["kind", "payment_channel"]
    search_fields = ["=relation__external_id", "=external_id", "campaign"]
    list_select_related = ["relation"]
    date_hierarchy = "received_on"
    show_full_result_count = False
    amount = euro_column("amount_cents", _("bedrag"))


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["reference", "relation", "amount", "frequency", "start_date", "status"]
    list_filter = ["status", "frequency"]
    search_fields = ["=reference", "=relation__external_id"]
    list_select_related = ["relation"]
    show_full_result_count = False
    inlines = [StornoInline]
    amount = euro_column("amount_cents", _("bedrag"))


@admin.register(Storno)
class StornoAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "mandate", "amount", "reason"]
    list_filter = ["reason"]
    search_fields = ["=mandate__reference", "=mandate__relation__external_id"]
    list_select_related = ["mandate"]
    date_hierarchy = "occurred_on"
    amount = euro_column("amount_cents", _("bedrag"))
