"""Default contact ceilings ("niet te veel"): editable in the admin.

Thank-you and service contacts count towards these but are never held back.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CEILINGS = [
    # (nature, channel, limit, period in days)
    ("ask", "", 1, 30),
    ("", "phone", 1, 14),
    ("", "email", 4, 30),
    ("", "letter", 2, 30),
]


def add_ceilings(apps: Any, schema_editor: Any) -> None:
    Ceiling = apps.get_model("touchpoints", "Ceiling")
    if Ceiling.objects.exists():
        return
    for nature, channel, limit, days in CEILINGS:
        Ceiling.objects.create(nature=nature, channel=channel, limit=limit, period_days=days)


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0001_initial")]
    operations = [migrations.RunPython(add_ceilings, migrations.RunPython.noop)]
