"""A default ceiling for appreciation (waarderen): at most 2 appreciation contacts in 14 days.

The appreciation calendar plans yearly and personal moments that can fall close together
(Christmas, a birthday, the anniversary of the first gift); this keeps them apart.
Installations that already set a ceiling for appreciation keep their own.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def add_ceiling(apps: Any, schema_editor: Any) -> None:
    Ceiling = apps.get_model("touchpoints", "Ceiling")
    if not Ceiling.objects.filter(nature="appreciate").exists():
        Ceiling.objects.create(nature="appreciate", channel="", limit=2, period_days=14)


def remove_ceiling(apps: Any, schema_editor: Any) -> None:
    apps.get_model("touchpoints", "Ceiling").objects.filter(
        nature="appreciate", limit=2, period_days=14
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0005_unique_key_by_source")]
    operations = [migrations.RunPython(add_ceiling, remove_ceiling)]
