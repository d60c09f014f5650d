"""Small helpers for the Django admin pages of every app: money and dates the Dutch way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin

from koers import formatting

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # only in django-stubs


def euro_column(field: str, label: str | _StrPromise) -> Callable[[Any, Any], str]:
    """A list column showing a cents field as € 1.234,56, sortable on the field itself."""

    @admin.display(description=label, ordering=field)
    def column(model_admin: Any, obj: Any) -> str:
        return formatting.euro(getattr(obj, field))

    return column


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written by imports and actions (with their events), only read here."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
