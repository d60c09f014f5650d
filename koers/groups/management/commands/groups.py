"""`koers groups list|check|add`: relation groups and their rules from the command line."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from koers.groups.actions import GroupError, create_group
from koers.groups.models import Group
from koers.groups.queries import count_members
from koers.groups.rules import RuleError


class Command(BaseCommand):
    help = "Relatiegroepen: tonen, een regel testen, een groep toevoegen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="alle groepen met regel en aantal leden")
        listing.add_argument("--json", action="store_true", help="als JSON")
        check = sub.add_parser("check", help="een regel testen: aantal leden of de fout")
        check.add_argument("rule", help='bijvoorbeeld "mandate.active and support.annual >= 1000"')
        check.add_argument("--json", action="store_true", help="als JSON")
        add = sub.add_parser("add", help="een groep toevoegen")
        add.add_argument("key", help="sleutel, bijvoorbeeld grote-gevers")
        add.add_argument("name", help="naam, bijvoorbeeld 'Grote gevers'")
        add.add_argument("rule", help="de regel")
        add.add_argument("--description", default="", help="omschrijving")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"list": self.show_list, "check": self.check_rule, "add": self.add_group}[
            options["action"]
        ]
        handler(options)

    def show_list(self, options: dict[str, Any]) -> None:
        rows: list[dict[str, Any]] = [
            {"key": g.key, "name": g.name, "rule": g.rule, "members": count_members(g)}
            for g in Group.objects.order_by("name")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table("sleutel", "naam", "regel", "leden")
        for row in rows:
            table.add_row(
                row["key"], row["name"], row["rule"], f"{row['members']:,}".replace(",", ".")
            )
        console = Console(file=io.StringIO(), width=140, record=True)
        console.print(table)
        self.stdout.write(console.export_text(), ending="")

    def check_rule(self, options: dict[str, Any]) -> None:
        rule = options["rule"]
        try:
            count = count_members(rule)
        except RuleError as error:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {"ok": False, "error": error.message, "position": error.position},
                        ensure_ascii=False,
                    )
                )
            raise CommandError(f"ongeldige regel:\n{error.caret(rule)}") from None
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, "members": count}))
        else:
            self.stdout.write(f"{count:,} relaties voldoen aan de regel".replace(",", "."))

    def add_group(self, options: dict[str, Any]) -> None:
        try:
            group = create_group(
                key=options["key"],
                name=options["name"],
                rule=options["rule"],
                description=options["description"],
            )
        except GroupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Groep '{group.name}' toegevoegd met {count_members(group)} leden")
