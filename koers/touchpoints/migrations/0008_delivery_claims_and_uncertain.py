"""Dispatch hands each touchpoint over on its own (docs/decisions/0013).

Print batches made before this were written whole: they are finished. A touchpoint left
`sending` by the old dispatcher may have gone out (it sent a whole batch before recording
any of it): a message, letter or webhook becomes "possibly sent" for a person to decide;
a call or task only ever reached a list in Koers, so it is simply planned again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import F

PROVIDER_CHANNELS = ("email", "letter", "card", "webhook")


def settle(apps: Any, schema_editor: Any) -> None:
    PrintBatch = apps.get_model("touchpoints", "PrintBatch")
    Touchpoint = apps.get_model("touchpoints", "Touchpoint")
    PrintBatch.objects.filter(finished_at__isnull=True).update(finished_at=F("created_at"))
    sending = Touchpoint.objects.filter(status="sending")
    sending.filter(channel__in=PROVIDER_CHANNELS).update(
        status="uncertain", handed_at=F("claimed_at"), claimed_at=None
    )
    sending.update(status="planned", claimed_at=None)


def unsettle(apps: Any, schema_editor: Any) -> None:
    Touchpoint = apps.get_model("touchpoints", "Touchpoint")
    Touchpoint.objects.filter(status="uncertain").update(status="failed")


class Migration(migrations.Migration):

    dependencies = [
        ("touchpoints", "0007_survey_throttled_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name='printbatch',
            name='claimed_by',
            field=models.CharField(blank=True, default='', max_length=32),
        ),
        migrations.AddField(
            model_name='printbatch',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='klaar op'),
        ),
        migrations.AddField(
            model_name='touchpoint',
            name='claimed_by',
            field=models.CharField(blank=True, db_default='', default='', max_length=32),
        ),
        migrations.AddField(
            model_name='touchpoint',
            name='delivery_key',
            field=models.CharField(blank=True, db_default='', default='', max_length=255, verbose_name='kenmerk'),
        ),
        migrations.AddField(
            model_name='touchpoint',
            name='handed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='aangeboden op'),
        ),
        migrations.AlterField(
            model_name='touchpoint',
            name='status',
            field=models.CharField(choices=[('planned', 'gepland'), ('sending', 'wordt verstuurd'), ('open', 'klaar voor medewerker'), ('sent', 'verstuurd'), ('done', 'afgehandeld'), ('skipped', 'overgeslagen'), ('failed', 'mislukt'), ('uncertain', 'mogelijk verstuurd')], default='planned', max_length=12, verbose_name='status'),
        ),
        migrations.RunPython(settle, unsettle),
    ]
