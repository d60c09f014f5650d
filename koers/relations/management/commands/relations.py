"""`koers relations show NUMBER`: one relation with everything Koers knows about it."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.formatting import euro
from koers.relations.models import Relation
from koers.relations.profile import relation_profile


class Command(BaseCommand):
    help = "Eén relatie tonen met kenmerken, toestemmingen, giften, machtigingen en gebeurtenissen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="een relatie tonen")
        show.add_argument("external_id", metavar="RELATIENUMMER")
        show.add_argument("--json", action="store_true", help="als JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        number = options["external_id"]
        relation = Relation.objects.filter(external_id=number).first()
        if relation is None:
            raise CommandError(f"onbekend relatienummer: {number}")
        profile = relation_profile(relation)
        if options["json"]:
            self.stdout.write(json.dumps(profile, ensure_ascii=False, indent=2, default=str))
            return
        self.write_text(relation, profile)

    def write_text(self, relation: Relation, profile: dict[str, Any]) -> None:
        out = self.stdout.write
        out(f"{relation.display_name} ({relation.external_id}), {relation.get_status_display()}")
        for line in relation.address_lines:
            out(f"  {line}")
        facts = profile["facts"]
        if facts:
            out(
                f"Giften: {facts['gifts_count']} (totaal {euro(facts['gifts_cents'])}), "
                f"laatste 12 maanden {euro(facts['gifts_12m_cents'])}; "
                f"steun per jaar {euro(facts['annual_support_cents'])}; "
                f"niveau {facts['level'] or '-'}"
            )
        out("Toestemmingen:")
        for c in profile["consents"]:
            state = f"ingetrokken {c['withdrawn_at'][:10]}" if c["withdrawn_at"] else "geldig"
            out(f"  {c['channel']}: {c['basis']} ({c['source'] or 'bron onbekend'}), {state}")
        out("Machtigingen:")
        for m in profile["mandates"]:
            out(f"  {m['reference']}: {euro(m['amount_cents'])} {m['frequency']}, {m['status']}")
        out(f"Laatste giften ({len(profile['gifts'])}):")
        for g in profile["gifts"][:10]:
            out(f"  {g['received_on']}  {euro(g['amount_cents'])}  {g['campaign']}")
        out(f"Gebeurtenissen ({len(profile['events'])}):")
        for e in profile["events"][:10]:
            out(f"  {e['occurred_at'][:10]}  {e['kind']}")
