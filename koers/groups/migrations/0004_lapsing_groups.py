"""LYBUNT and SYBUNT as preset groups, the lapsing donors a win-back journey starts from."""

from django.db import migrations

PRESETS = [
    (
        "lybunt",
        "LYBUNT: gaf vorig jaar, dit jaar nog niet",
        "Gaven in het vorige kalenderjaar en dit jaar nog niet (Last Year But Unfortunately Not This year).",
        "donor.lybunt",
    ),
    (
        "sybunt",
        "SYBUNT: gaf eerder, niet vorig en niet dit jaar",
        "Gaven in een eerder jaar, maar niet vorig en niet dit jaar (Some Year But Unfortunately Not This year).",
        "donor.sybunt",
    ),
]


def add_presets(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    for key, name, description, rule in PRESETS:
        Group.objects.get_or_create(
            key=key,
            defaults={"name": name, "description": description, "rule": rule, "is_preset": True},
        )


def remove_presets(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    Group.objects.filter(key__in=[p[0] for p in PRESETS], is_preset=True).delete()


class Migration(migrations.Migration):
    dependencies = [("groups", "0003_preset_groups")]

    operations = [migrations.RunPython(add_presets, remove_presets)]
