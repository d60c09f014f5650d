"""Give the strategist and analyst roles the insights page, now that the app exists."""

from __future__ import annotations

from django.db import migrations

add_roles = __import__("koers.web.migrations.0001_roles", fromlist=["add_roles"]).add_roles


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0007_access_log"),
        ("insights", "0001_initial"),
    ]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
