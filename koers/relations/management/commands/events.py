"""`koers events prune`: keep the event log from growing without bound."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from koers.relations.queries import prune_events


class Command(BaseCommand):
    help = "Beheer het gebeurtenissenlogboek. 'prune' verwijdert gebeurtenissen ouder dan N dagen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        prune = sub.add_parser(
            "prune", help="verwijder gebeurtenissen ouder dan --older-than dagen"
        )
        prune.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="DAGEN",
            help="leeftijd in dagen (minimaal 365: het logboek is ook bewijs)",
        )
        prune.add_argument(
            "--dry-run", action="store_true", help="alleen tellen, niets verwijderen"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days < 365:
            raise CommandError(
                f"--older-than {days}: minimaal 365 dagen; toestemmingen en opzeggingen "
                "moeten aantoonbaar blijven"
            )
        before = timezone.now() - timedelta(days=days)
        count = prune_events(before, dry_run=options["dry_run"])
        verb = "zou verwijderen" if options["dry_run"] else "verwijderd"
        self.stdout.write(f"{count} gebeurtenissen van voor {before:%d-%m-%Y} {verb}")
