from __future__ import annotations

from django.contrib import admin

from koers.giving.models import Gift, Mandate, Storno


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = [
        "received_on",
        "relation",
        "amount_cents",
        "kind",
        "campaign",
        "payment_channel",
    ]
    list_filter = ["kind", "payment_channel"]
    search_fields = ["relation__external_id", "external_id", "campaign"]
    raw_id_fields = ["relation", "mandate"]
    date_hierarchy = "received_on"


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["reference", "relation", "amount_cents", "frequency", "start_date", "status"]
    list_filter = ["status", "frequency"]
    search_fields = ["reference", "relation__external_id"]
    raw_id_fields = ["relation"]


@admin.register(Storno)
class StornoAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "mandate", "amount_cents", "reason"]
    list_filter = ["reason"]
    search_fields = ["mandate__reference"]
    raw_id_fields = ["mandate"]
