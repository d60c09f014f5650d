from django.contrib.auth.management import create_permissions
from django.db import migrations

from koers.web.roles import ROLES


def add_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        if role == "beheerder":
            group.permissions.set(Permission.objects.all())
            continue
        wanted = [name.split(".", 1) for name in names]
        # A permission of an app migrated later is added by that app's own roles migration.
        perms = [
            found
            for app, codename in wanted
            for found in Permission.objects.filter(content_type__app_label=app, codename=codename)
        ]
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("relations", "0001_initial"),
        ("giving", "0001_initial"),
        ("groups", "0003_preset_groups"),
    ]
    operations = [migrations.RunPython(add_roles, remove_roles)]
