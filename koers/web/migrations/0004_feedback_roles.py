"""Give the roles their permission to read the feedback results, now that app exists."""

from __future__ import annotations

from django.db import migrations

add_roles = __import__("koers.web.migrations.0001_roles", fromlist=["add_roles"]).add_roles


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0003_calendar_roles"),
        ("feedback", "0002_default_instruments"),
    ]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
