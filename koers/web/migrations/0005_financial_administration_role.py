"""Add the role of the financial administration (administrateur), who checks mandates and
collections: the welcome flow gives it the task when a first collection does not come."""

from __future__ import annotations

from django.db import migrations

add_roles = __import__("koers.web.migrations.0001_roles", fromlist=["add_roles"]).add_roles


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="administrateur").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0004_feedback_roles"),
        ("touchpoints", "0007_survey_throttled_reason"),
    ]
    operations = [migrations.RunPython(add_roles, remove_role)]
