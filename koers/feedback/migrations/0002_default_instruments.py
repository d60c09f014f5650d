"""Three instruments to start with: relational NPS, NPS after a contact, and thumbs."""

from __future__ import annotations

from typing import Any

from django.db import migrations

RECOMMEND = {
    "nl": "Hoe waarschijnlijk is het dat u ons aanbeveelt aan vrienden of familie?",
    "en": "How likely are you to recommend us to friends or family?",
}
FOLLOW_UP = {
    "promoter": {"nl": "Wat waardeert u het meest aan ons?", "en": "What do you value most?"},
    "passive": {"nl": "Wat zou een 9 of 10 van ons maken?", "en": "What would make it a 9 or 10?"},
    "detractor": {
        "nl": "Wat moeten we volgens u beter doen?",
        "en": "What should we do better?",
    },
}
INSTRUMENTS = [
    ("nps-relatie", "NPS over de relatie", "nps", "relational", RECOMMEND, FOLLOW_UP),
    (
        "nps-contact",
        "NPS na een contactmoment",
        "nps",
        "transactional",
        {
            "nl": "Hoe waarschijnlijk is het dat u ons aanbeveelt, na dit contact met ons?",
            "en": "After this contact with us, how likely are you to recommend us?",
        },
        FOLLOW_UP,
    ),
    (
        "duim",
        "Duim omhoog of omlaag",
        "thumbs",
        "transactional",
        {"nl": "Wat vond u van dit bericht?", "en": "What did you think of this message?"},
        {},
    ),
]


def add(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("feedback", "Instrument")
    for key, name, kind, scope, question, follow_up in INSTRUMENTS:
        Instrument.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "kind": kind,
                "scope": scope,
                "question": question,
                "follow_up": follow_up,
            },
        )


def remove(apps: Any, schema_editor: Any) -> None:
    keys = [row[0] for row in INSTRUMENTS]
    apps.get_model("feedback", "Instrument").objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
