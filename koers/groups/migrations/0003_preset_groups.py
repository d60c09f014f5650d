from django.db import migrations

PRESETS = [
    (
        "nieuwe-donateurs",
        "Nieuwe donateurs",
        "Gaven hun eerste gift in de afgelopen 12 maanden.",
        "gifts.first > today - 12 months",
    ),
    (
        "structurele-donateurs",
        "Structurele donateurs met machtiging",
        "Hebben een actieve machtiging voor automatische incasso.",
        "mandate.active",
    ),
    (
        "frequente-gevers",
        "Frequente gevers",
        "Gaven minstens vier keer in de afgelopen 12 maanden, zonder machtiging.",
        "gifts.count_12m >= 4 and not mandate.active",
    ),
    (
        "grote-gevers",
        "Grote gevers",
        "Steunen met minstens € 1.000 per jaar (giften plus machtiging).",
        "support.annual >= 1000",
    ),
    (
        "trouwe-donateurs",
        "Trouwe donateurs",
        "Steunen al minstens drie jaar en gaven in de afgelopen 12 maanden.",
        "tenure.years >= 3 and gifts.count_12m >= 1",
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
    dependencies = [("groups", "0002_default_levels")]
    operations = [migrations.RunPython(add_presets, remove_presets)]
