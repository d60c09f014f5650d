"""The phases of the main map (hoofdkaart) as the seed names them; editable in the admin."""

from __future__ import annotations

from typing import Any

from django.db import migrations

PHASES = [
    ("werving", "Werving"),
    ("eerste-contact", "Eerste contact"),
    ("bedanken", "Bedanken"),
    ("welkom", "Welkom heten"),
    ("upsell", "Upsell"),
    ("cross-selling", "Cross-selling"),
    ("loyaliteit", "Loyaliteit"),
    ("afscheid", "Afscheid"),
    ("terugkomen", "Terugkomen"),
]


def add_phases(apps: Any, schema_editor: Any) -> None:
    Phase = apps.get_model("journeys", "Phase")
    for position, (key, name) in enumerate(PHASES, start=1):
        Phase.objects.update_or_create(key=key, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]
    operations = [migrations.RunPython(add_phases, migrations.RunPython.noop)]
