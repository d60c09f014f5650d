"""Only the roles that may see personal data read the comments with relation numbers."""

from __future__ import annotations

from django.db import migrations

add_roles = __import__("koers.web.migrations.0001_roles", fromlist=["add_roles"]).add_roles


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0005_financial_administration_role"),
        ("feedback", "0003_response_view_comments"),
    ]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
