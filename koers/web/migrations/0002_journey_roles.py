"""Give the roles their permissions on journeys and touchpoints, now those apps exist."""

from __future__ import annotations

from django.db import migrations


add_roles = __import__("koers.web.migrations.0001_roles", fromlist=["add_roles"]).add_roles


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0001_roles"),
        ("journeys", "0002_phases"),
        ("touchpoints", "0002_ceilings"),
    ]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
