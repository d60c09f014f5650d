"""`koers demo`: build a realistic Dutch relation base through the real importer."""

from __future__ import annotations

import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from koers.demo.generator import generate, write_files
from koers.formatting import whole_number
from koers.giving.actions import record_stornos
from koers.giving.models import Mandate
from koers.groups.facts import refresh_facts
from koers.imports.api import import_file
from koers.insights.summary import rebuild_summary
from koers.relations.choices import EventSource
from koers.relations.models import Relation

DEMO_PASSWORD = "koers-demo"
ROLES = ["beheerder", "strateeg", "analist", "beller", "kijker", "administrateur"]


class Command(BaseCommand):
    help = (
        "Bouw een realistische Nederlandse demo-relatiebasis (namen, adressen, giften over 5 jaar, "
        "machtigingen, storno's, toestemmingen) en demo-gebruikers per rol. Alleen voor demo's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--relations", type=int, default=10_000, help="aantal relaties (standaard 10000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="zelfde seed geeft dezelfde data")
        parser.add_argument("--today", help="de dag waarop de demo 'vandaag' is (jjjj-mm-dd)")
        parser.add_argument(
            "--if-empty", action="store_true", help="niets doen als er al relaties zijn"
        )
        parser.add_argument(
            "--no-journeys",
            action="store_true",
            help="de welkomstreis en de waarderingskalender niet installeren en niet laten lopen",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["relations"] < 1:
            raise CommandError(f"--relations {options['relations']}: moet minstens 1 zijn")
        today = self.parse_today(options["today"])
        if options["if_empty"] and Relation.objects.exists():
            self.stdout.write("Er zijn al relaties; de demodata wordt niet geladen.")
            self.ensure_users()
            return
        started = time.perf_counter()
        base = generate(options["relations"], options["seed"], today)
        now = timezone.now()
        with tempfile.TemporaryDirectory() as folder:
            for kind, path in write_files(base, Path(folder)).items():
                report = import_file(kind, path, now=now, refresh=False)
                if not report.ok:
                    first = report.errors[0]
                    raise CommandError(
                        f"demo-import {kind} mislukt: rij {first.row}: {first.problem}"
                    )
                self.stdout.write(f"  {kind}: {whole_number(report.created)} nieuw")
        self.load_stornos(base.stornos)
        refresh_facts(now)
        rebuild_summary()
        self.ensure_users()
        if not options["no_journeys"]:
            self.run_welcome_flow(today)
            self.start_calendar(today)
        self.answer_surveys(options["seed"], today)
        if not options["no_journeys"]:
            self.follow_up_detractors(today)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Demodata geladen in {seconds:.1f} s: {whole_number(len(base.relations))} relaties, "
            f"{whole_number(len(base.gifts))} giften, "
            f"{whole_number(len(base.mandates))} machtigingen, "
            f"{whole_number(len(base.consents))} toestemmingen, {len(base.stornos)} storno's."
        )

    def run_welcome_flow(self, today: date) -> None:
        """Install the welcome flow and let it run over the last 45 days of the demo base.

        Mail goes to an in-memory outbox, never out; letters and cards are printed to
        var/print as usual. The pages then show a journey with relations on the way.
        """
        from django.test import override_settings

        from koers.clock.tick import TICK_TIME, run_until
        from koers.journeys.actions import install
        from koers.journeys.models import Journey

        if not Journey.objects.filter(key="welkom-structureel").exists():
            install("welkom-structureel")
        Journey.objects.filter(key="welkom-structureel").update(event_watermark=0, seen_at=None)
        zone = timezone.get_current_timezone()
        start = datetime.combine(today - timedelta(days=45), TICK_TIME, tzinfo=zone)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            reports = run_until(start, today)
        planned = sum(ticks.planned for ticks, _ in reports)
        self.stdout.write(f"  welkomstreis: {whole_number(planned)} contactmomenten in 45 dagen")

    def start_calendar(self, today: date) -> None:
        """Install the example appreciation calendar, carry it out, and plan what falls in
        its lookahead window, so the calendar pages and the outbox show it at work."""
        from koers.calendar.actions import install, set_active
        from koers.calendar.engine import plan_calendars
        from koers.calendar.models import Calendar
        from koers.touchpoints.planning import TICK_TIME

        calendar = Calendar.objects.filter(key="voorbeeld").first() or install("example")
        set_active(calendar, True)
        zone = timezone.get_current_timezone()
        planned = plan_calendars(datetime.combine(today, TICK_TIME, tzinfo=zone))
        count = sum(p.total for p in planned)
        self.stdout.write(
            f"  waarderingskalender: {whole_number(count)} contactmomenten in de komende "
            f"{calendar.lookahead_days} dagen"
        )

    def answer_surveys(self, seed: int, today: date) -> None:
        """Answers to the NPS question and the welcome flow's e-mails (see feedback.demo)."""
        from koers.feedback.demo import make_answers

        count = make_answers(seed, today)
        self.stdout.write(f"  feedback: {whole_number(count)} antwoorden")

    def follow_up_detractors(self, today: date) -> None:
        """Install the detractor follow-up and let it read the past week's answers, so the
        call list shows the service's calls with the score and the comment."""
        from koers.journeys.actions import install
        from koers.journeys.engine import tick
        from koers.journeys.models import Journey
        from koers.touchpoints.planning import TICK_TIME

        key = "nps-criticaster-nabellen"
        if not Journey.objects.filter(key=key).exists():
            install(key)
        Journey.objects.filter(key=key).update(event_watermark=0, seen_at=None)
        zone = timezone.get_current_timezone()
        report = tick(datetime.combine(today, TICK_TIME, tzinfo=zone), journeys=[key])
        self.stdout.write(
            f"  criticasters nabellen: {whole_number(report.planned)} contactmomenten gepland"
        )

    def parse_today(self, value: str | None) -> date:
        if value is None:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today {value!r}: verwacht een datum als 2026-11-24") from None

    def load_stornos(self, stornos: list[tuple[str, date, int, str]]) -> None:
        mandates = Mandate.objects.in_bulk([s[0] for s in stornos], field_name="reference")
        record_stornos(
            [(mandates[ref], day, cents, reason) for ref, day, cents, reason in stornos],
            source=EventSource.DEMO,
        )

    def ensure_users(self) -> None:
        """One demo user per role, password koers-demo: for trying Koers, never production."""
        for role in ROLES:
            user, created = User.objects.get_or_create(username=role)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = role == "beheerder"
                user.save()
            group = Group.objects.filter(name=role).first()
            if group is None:
                self.stderr.write(
                    f"Let op: de rol '{role}' bestaat niet; draai eerst 'koers migrate'."
                )
            else:
                user.groups.add(group)
        self.stdout.write(f"Demo-gebruikers: {', '.join(ROLES)} (wachtwoord: {DEMO_PASSWORD})")
