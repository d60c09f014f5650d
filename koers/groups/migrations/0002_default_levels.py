from django.db import migrations

LADDER = [
    ("brons", "Brons", 0),
    ("zilver", "Zilver", 10000),
    ("goud", "Goud", 50000),
    ("platina", "Platina", 100000),
]


def add_levels(apps, schema_editor):
    Level = apps.get_model("groups", "Level")
    for key, name, cents in LADDER:
        Level.objects.get_or_create(key=key, defaults={"name": name, "min_annual_cents": cents})


def remove_levels(apps, schema_editor):
    apps.get_model("groups", "Level").objects.filter(key__in=[k for k, _, _ in LADDER]).delete()


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]
    operations = [migrations.RunPython(add_levels, remove_levels)]
