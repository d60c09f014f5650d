"""Admin pages for levels, facts and relation groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from koers.groups.models import Facts, Group, Level
from koers.groups.rules import RuleError, parse
from koers.web.admin_display import ReadOnlyAdmin, euro_column


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "from_amount"]
    from_amount = euro_column("min_annual_cents", _("vanaf per jaar"))


class GroupAdminForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["key", "name", "description", "rule", "is_preset"]

    def clean_rule(self) -> str:
        rule: str = self.cleaned_data["rule"].strip()
        try:
            parse(rule)
        except RuleError as error:
            raise forms.ValidationError(f"{error.message} (positie {error.position + 1})") from None
        return rule


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    form = GroupAdminForm
    list_display = ["name", "key", "rule", "is_preset", "updated_at"]
    list_filter = ["is_preset"]
    search_fields = ["name", "key", "rule"]


@admin.register(Facts)
class FactsAdmin(ReadOnlyAdmin):
    """Facts are computed by the refresh; editing them by hand would be overwritten."""

    list_display = [
        "relation",
        "annual_support",
        "given_12m",
        "gifts_12m_count",
        "last_gift_on",
        "level",
        "refreshed_at",
    ]
    list_filter = ["level"]
    search_fields = ["=relation__external_id"]
    list_select_related = ["relation", "level"]
    show_full_result_count = False
    annual_support = euro_column("annual_support_cents", _("steun per jaar"))
    given_12m = euro_column("gifts_12m_cents", _("laatste 12 maanden"))

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in Facts._meta.fields]
