"""`koers touchpoints [--json] [--relation ID] [--journey KEY]`: the outbox, row by row.

`koers touchpoints reconcile [--resend ID ...] [--sent ID ...] [--json]`: settle the claims
of workers that died, and decide about touchpoints that were possibly sent."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from koers.formatting import day
from koers.touchpoints.actions import TouchpointError, decide_uncertain
from koers.touchpoints.choices import Decision, Status
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.reconcile import reconcile


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def parse_now(text: str | None) -> datetime:
    if not text:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--now: '{text}' is geen tijdstip; schrijf bijvoorbeeld 2026-11-24T09:00"
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Contactmomenten: relatie, klantreis, stap, kanaal, aard, gepland, verstuurd, "
        "uiterlijk, status en reden van overslaan. 'koers touchpoints reconcile': claims van "
        "gestopte workers afhandelen en beslissen over mogelijk verstuurde contactmomenten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        settle = sub.add_parser(
            "reconcile",
            help="claims van gestopte workers afhandelen en beslissen over mogelijk verstuurde "
            "contactmomenten",
            description="Claims van workers die stopten zonder hun werk af te maken worden "
            "afgehandeld (nooit aangeboden: opnieuw gepland; aangeboden: gecontroleerd of als "
            "'mogelijk verstuurd' getoond). Daarna de lijst van mogelijk verstuurde "
            "contactmomenten met hun kenmerk (Message-ID, bestand of Idempotency-Key): zoek "
            "het op bij de mailserver of ontvanger en kies --sent of --resend.",
        )
        settle.add_argument(
            "--resend", type=int, nargs="+", default=[], metavar="ID",
            help="deze contactmomenten (nummer) zijn niet aangekomen: opnieuw versturen",
        )  # fmt: skip
        settle.add_argument(
            "--sent", type=int, nargs="+", default=[], metavar="ID",
            help="deze contactmomenten (nummer) zijn wel aangekomen: als verstuurd vastleggen",
        )  # fmt: skip
        settle.add_argument("--now", help="doe alsof het nu dit tijdstip is (ISO)")
        settle.add_argument("--json", action="store_true", help="als JSON")
        parser.add_argument("--relation", help="alleen deze relatie (relatienummer)")
        parser.add_argument("--journey", help="alleen deze klantreis (sleutel)")
        parser.add_argument(
            "--status",
            help="alleen deze status (planned, open, sent, done, skipped, failed, uncertain)",
        )
        parser.add_argument(
            "--limit", type=int, default=10000, help="hoogstens zoveel (standaard 10000)"
        )
        parser.add_argument("--json", action="store_true", help="als JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "reconcile":
            self.reconcile(options)
            return
        rows = Touchpoint.objects.select_related("relation", "journey").order_by("planned_at", "id")
        if options["relation"]:
            rows = rows.filter(relation__external_id=options["relation"])
        if options["journey"]:
            rows = rows.filter(journey__key=options["journey"])
        if options["status"]:
            rows = rows.filter(status=options["status"])
        found = [
            {
                "id": t.pk,
                "relation": t.relation.external_id,
                "journey": t.journey.key if t.journey else None,
                "source": t.source,
                "step": t.step,
                "channel": t.channel,
                "nature": t.nature,
                "planned_at": iso(t.planned_at),
                "sent_at": iso(t.sent_at),
                "done_at": iso(t.done_at),
                "deadline": iso(t.deadline),
                "status": t.status,
                "skip_reason": t.skip_reason,
                "outcome": t.outcome,
                "attempts": t.attempts,
                "delivery_key": t.delivery_key,
            }
            for t in rows[: options["limit"]]
        ]
        if options["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
            return
        for row in found:
            reason = f" ({row['skip_reason']})" if row["skip_reason"] else ""
            planned = day(datetime.fromisoformat(str(row["planned_at"])))
            self.stdout.write(
                f"{planned} {row['relation']} {row['step'] or row['source']} {row['channel']} "
                f"{row['status']}{reason}"
            )

    def reconcile(self, options: dict[str, Any]) -> None:
        now = parse_now(options["now"])
        report = reconcile(now)
        decided = [
            self.decide(number, decision)
            for decision, numbers in (
                (Decision.SENT, options["sent"]),
                (Decision.RESEND, options["resend"]),
            )
            for number in numbers
        ]
        doubtful = (
            Touchpoint.objects.filter(status=Status.UNCERTAIN)
            .select_related("relation")
            .order_by("handed_at", "id")
        )
        found = [
            {
                "id": t.pk,
                "relation": t.relation.external_id,
                "channel": t.channel,
                "source": t.source,
                "handed_at": iso(t.handed_at),
                "attempts": t.attempts,
                "delivery_key": t.delivery_key,
                "error": t.error,
            }
            for t in doubtful
        ]
        if options["json"]:
            result = {
                "reconciled": {
                    "planned": report.planned, "delivered": report.delivered,
                    "uncertain": report.uncertain, "batches": report.batches,
                },
                "decided": decided,
                "uncertain": found,
            }  # fmt: skip
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Afgehandeld: {report.planned} opnieuw gepland, {report.delivered} aangekomen, "
            f"{report.uncertain} mogelijk verstuurd, {report.batches} drukbestanden afgemaakt"
        )
        for row in decided:
            self.stdout.write(f"Contactmoment {row['id']}: {row['decision']}")
        self.stdout.write(f"Mogelijk verstuurd: {len(found)}")
        for row in found:
            handed = timezone.localtime(datetime.fromisoformat(str(row["handed_at"])))
            self.stdout.write(
                f"{row['id']} {row['relation']} {row['channel']} {handed:%d-%m-%Y %H:%M} "
                f"{row['delivery_key'] or '(kenmerk onbekend)'}"
            )

    def decide(self, number: int, decision: Decision) -> dict[str, Any]:
        touchpoint = Touchpoint.objects.filter(pk=number).first()
        if touchpoint is None:
            raise CommandError(f"contactmoment {number} bestaat niet")
        try:
            decide_uncertain(touchpoint, decision, at=timezone.now(), by="opdrachtregel")
        except TouchpointError as error:
            raise CommandError(f"contactmoment {number}: {error}") from None
        return {"id": number, "decision": str(decision)}
