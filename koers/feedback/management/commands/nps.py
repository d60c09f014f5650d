"""`koers nps [--instrument KEY] [--by group|step|moment|channel|month] [--json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.feedback.choices import InstrumentKind
from koers.feedback.models import Instrument
from koers.feedback.queries import BY, nps_breakdown, overall, results_trend
from koers.feedback.stats import NpsResult, Rate, not_enough_text


class Command(BaseCommand):
    help = (
        "NPS en duimpjes per meetinstrument, met n en het 95%-betrouwbaarheidsinterval; "
        "relationeel en transactioneel worden nooit samengeteld."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", help="sleutel van het meetinstrument (standaard: alle)")
        parser.add_argument("--by", choices=BY, help="uitsplitsen naar groep, stap, moment, ...")
        parser.add_argument("--trend", choices=("month", "quarter"), help="per maand of kwartaal")
        parser.add_argument("--json", action="store_true", help="als JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        instruments = Instrument.objects.order_by("scope", "key")
        if options["instrument"]:
            instruments = instruments.filter(key=options["instrument"])
            if not instruments.exists():
                known = ", ".join(Instrument.objects.values_list("key", flat=True)) or "geen"
                raise CommandError(f"--instrument {options['instrument']}: bestaat niet ({known})")
        report = [self.one(instrument, options) for instrument in instruments]
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for item in report:
            self.stdout.write(f"{item['name']} ({item['scope']}): {self.line(item['overall'])}")
            for key, result in item.get("by", {}).items():
                self.stdout.write(f"  {key}: {self.line(result)}")
            for period, result in item.get("trend", []):
                self.stdout.write(f"  {period}: {self.line(result)}")

    def one(self, instrument: Instrument, options: dict[str, Any]) -> dict[str, Any]:
        result = overall(instrument)
        item: dict[str, Any] = {
            "instrument": instrument.key,
            "name": instrument.name,
            "kind": instrument.kind,
            "scope": instrument.scope,
            "overall": result.as_dict(),
        }
        if instrument.kind == InstrumentKind.NPS and options["by"]:
            found = nps_breakdown(instrument, options["by"])
            item["by"] = {key: value.as_dict() for key, value in found.items()}
        if instrument.kind == InstrumentKind.NPS and options["trend"]:
            periods = results_trend(instrument, options["trend"])
            item["trend"] = [(label, value.as_dict()) for label, value in periods]
        return item

    def line(self, figures: dict[str, Any]) -> str:
        n = figures["n"]
        if "rate" in figures:
            result: NpsResult | Rate = Rate(**figures)
            shown = "-" if figures["rate"] is None else f"{figures['rate'] * 100:.0f}% duim omhoog"
            interval = (
                ""
                if figures["low"] is None
                else f" (95%: {figures['low'] * 100:.0f}% tot {figures['high'] * 100:.0f}%)"
            )
        else:
            result = NpsResult(**figures)
            shown = "-" if figures["score"] is None else f"NPS {figures['score']:+.0f}"
            interval = (
                ""
                if figures["low"] is None
                else f" (95%: {figures['low']:+.1f} tot {figures['high']:+.1f})"
            )
        warning = not_enough_text(result)
        text = f"{shown}{interval}, n = {n}".replace(".", ",")
        return f"{text}. {warning}" if warning else text
