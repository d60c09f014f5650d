"""`koers translations`: compile the translation catalogues without GNU gettext."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Maak de .mo-bestanden opnieuw uit de .po-vertalingen in koers/locale "
        "(na het bijwerken van een vertaling)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        catalogues = sorted(
            path
            for folder in settings.LOCALE_PATHS
            for path in Path(folder).glob("*/LC_MESSAGES/*.po")
        )
        if not catalogues:
            raise CommandError(
                f"geen .po-bestanden gevonden in {', '.join(map(str, settings.LOCALE_PATHS))}"
            )
        for path in catalogues:
            catalogue = polib.pofile(str(path))
            untranslated = len(catalogue.untranslated_entries())
            catalogue.save_as_mofile(str(path.with_suffix(".mo")))
            note = f" ({untranslated} nog niet vertaald)" if untranslated else ""
            self.stdout.write(f"{path}: {len(catalogue.translated_entries())} vertalingen{note}")
