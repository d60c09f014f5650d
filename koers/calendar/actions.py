"""Writes to calendars: save a checked plan, import and export YAML, install the example."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from koers.calendar.models import Calendar, Moment, OverviewStatus, YearOverview
from koers.calendar.plan import MomentSpec, PlanError, PlanSpec, parse_plan, plan_to_raw
from koers.giving.models import Gift
from koers.groups.models import Group

LIBRARY = Path(__file__).resolve().parent / "library"


def check_references(plan: PlanSpec) -> None:
    """Every group a moment names exists, and every instrument it asks with; PlanError names
    each moment that names one that does not."""
    known = set(Group.objects.values_list("key", flat=True))
    problems = [
        f"moments[{number}] ({moment.key}).groups: relatiegroep '{key}' bestaat niet; "
        f"kies uit {', '.join(sorted(known)) or 'nog geen groepen'}, of 'all'"
        for number, moment in enumerate(plan.moments, start=1)
        for key in moment.groups
        if key not in known
    ]
    from koers.feedback.delivery import unknown_surveys

    asked = [
        (f"moments[{number}] ({moment.key})", dict(moment.content))
        for number, moment in enumerate(plan.moments, start=1)
    ]
    problems += unknown_surveys(asked)
    if problems:
        raise PlanError(problems)


@transaction.atomic
def save_plan(plan: PlanSpec) -> Calendar:
    """Store the plan as the calendar of its key, creating it if it is new.

    Moments are matched by key: a moment that keeps its key keeps its touchpoints' source,
    so what was already planned for it is not planned again. Moments missing from the plan
    are removed; what they planned stays in the outbox."""
    check_references(plan)
    calendar, _ = Calendar.objects.update_or_create(
        key=plan.key,
        defaults={
            "name": plan.name,
            "description": plan.description,
            "founded_on": plan.founded,
            "lookahead_days": plan.lookahead_days,
            "max_per_month": plan.max_per_month,
        },
    )
    calendar.moments.exclude(key__in=[m.key for m in plan.moments]).delete()
    for position, spec in enumerate(plan.moments):
        save_moment(calendar, spec, position)
    return calendar


def save_moment(calendar: Calendar, spec: MomentSpec, position: int | None = None) -> Moment:
    fields: dict[str, Any] = {
        "name": spec.name,
        "description": spec.description,
        "rule": spec.rule.to_raw() if spec.rule else None,
        "trigger": spec.trigger.to_raw() if spec.trigger else None,
        "everyone": spec.everyone,
        "channels": list(spec.channels),
        "nature": spec.nature,
        "intensity": spec.intensity,
        "cost_cents": spec.cost_cents,
        "minutes": spec.minutes,
        "holdout": spec.holdout,
        "pressure": spec.pressure,
        "content": dict(spec.content),
    }
    if position is not None:
        fields["position"] = position
    elif not calendar.moments.filter(key=spec.key).exists():
        fields["position"] = calendar.moments.count()
    moment, _ = Moment.objects.update_or_create(calendar=calendar, key=spec.key, defaults=fields)
    moment.groups.set(Group.objects.filter(key__in=spec.groups))
    Calendar.objects.filter(pk=calendar.pk).update(updated_at=timezone.now())
    return moment


def delete_moment(calendar: Calendar, key: str) -> None:
    """Remove a moment from the plan. What it planned already stays in the outbox."""
    calendar.moments.filter(key=key).delete()
    Calendar.objects.filter(pk=calendar.pk).update(updated_at=timezone.now())


def update_settings(calendar: Calendar, plan: PlanSpec) -> Calendar:
    """Store the calendar's own settings from `plan` (name, founding date, lookahead, ceiling);
    the moments stay as they are. PlanError when the moments cannot do with them (the
    organisation's anniversary without a founding date)."""
    if plan.founded is None:
        problems = [
            f"De oprichtingsdatum is nodig: '{m.name}' valt op de verjaardag van de organisatie."
            for m in plan.moments
            if m.rule is not None and m.rule.kind == "anniversary"
        ]
        if problems:
            raise PlanError(problems)
    for name, value in (
        ("name", plan.name),
        ("description", plan.description),
        ("founded_on", plan.founded),
        ("lookahead_days", plan.lookahead_days),
        ("max_per_month", plan.max_per_month),
    ):
        setattr(calendar, name, value)
    calendar.save()
    return calendar


def read_yaml(path: Path) -> Any:
    """The YAML in `path`; PlanError naming the file when it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PlanError([f"{path}: kan het bestand niet lezen ({error.strerror})"]) from None
    except UnicodeDecodeError:
        raise PlanError([f"{path}: geen UTF-8-tekst"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark is not None else ""
        raise PlanError([f"{path}: geen geldige YAML{where}"]) from None


def import_yaml(path: Path) -> Calendar:
    """Import a calendar file: all of it or, when anything is wrong, nothing."""
    try:
        plan = parse_plan(read_yaml(path))
    except PlanError as error:
        raise PlanError([f"{path.name}: {p}" for p in error.problems]) from None
    return save_plan(plan)


def export_yaml(calendar: Calendar) -> str:
    return yaml.safe_dump(
        plan_to_raw(calendar.spec()), allow_unicode=True, sort_keys=False, width=100
    )


def library() -> dict[str, Any]:
    """The calendars that come with Koers, by name."""
    return {path.stem: read_yaml(path) for path in sorted(LIBRARY.glob("*.yaml"))}


def install(name: str) -> Calendar:
    found = library()
    if name not in found:
        raise PlanError([f"'{name}' is geen meegeleverde kalender; kies uit {', '.join(found)}"])
    return save_plan(parse_plan(found[name]))


def set_active(calendar: Calendar, active: bool) -> None:
    """Start or stop carrying the calendar out. Started, it looks at gifts from then on: a
    milestone passed before it ran is not celebrated late."""
    calendar.active = active
    fields = ["active", "updated_at"]
    if active:
        calendar.seen_gift_id = Gift.objects.aggregate(top=Max("id"))["top"] or 0
        fields.append("seen_gift_id")
    calendar.save(update_fields=fields)


# A stored overview not looked at for this long is removed when another one is finished.
KEEP_OVERVIEWS = timedelta(days=7)


def request_overview(calendar: Calendar, year: int, journeys: bool, now: datetime) -> YearOverview:
    """The year overview for the data as it is now: the stored one, or a new one that is
    queued to be worked out in the background (koers.calendar.tasks)."""
    from koers.calendar.queries import current_overview
    from koers.calendar.tasks import work_out_overview

    found, stamp = current_overview(calendar, year, journeys, now)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            overview = YearOverview.objects.create(
                calendar=calendar, year=year, journeys=journeys, stamp=stamp, created_at=now
            )
    except IntegrityError:
        # Another request asked for the same overview at the same moment: that one queued it.
        return YearOverview.objects.get(
            calendar=calendar, year=year, journeys=journeys, stamp=stamp
        )
    work_out_overview.enqueue(overview.pk)
    overview.refresh_from_db()
    return overview


def retry_overview(overview: YearOverview) -> None:
    """Queue a failed (or stuck) overview once more."""
    from koers.calendar.tasks import work_out_overview

    YearOverview.objects.filter(pk=overview.pk).update(
        status=OverviewStatus.QUEUED, step="", done_parts=0, total_parts=0, error=""
    )
    work_out_overview.enqueue(overview.pk)


def run_overview(overview_id: int) -> None:
    """Work the overview out and store its figures; on an error, store that it failed.

    `now` is the moment it was asked for: the stamp names that day's data."""
    from koers.calendar.report import work_out

    overview = YearOverview.objects.select_related("calendar").get(pk=overview_id)
    rows = YearOverview.objects.filter(pk=overview_id)
    rows.update(status=OverviewStatus.RUNNING, started_at=timezone.now())

    def progress(step: str, done: int, total: int) -> None:
        rows.update(step=step, done_parts=done, total_parts=total)

    try:
        year = work_out(
            overview.calendar,
            overview.year,
            journeys=overview.journeys,
            now=overview.created_at,
            progress=progress,
        )
        figures = year.stored()
    except Exception as error:
        rows.update(status=OverviewStatus.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    finished = timezone.now()
    rows.update(status=OverviewStatus.DONE, figures=figures, finished_at=finished, step="")
    _forget_older(overview, finished)


def _forget_older(overview: YearOverview, now: datetime) -> None:
    """The same year worked out on older data, and overviews no one asked for in a week."""
    same = YearOverview.objects.filter(
        calendar=overview.calendar_id, year=overview.year, journeys=overview.journeys
    )
    old = YearOverview.objects.filter(created_at__lt=now - KEEP_OVERVIEWS)
    finished = (OverviewStatus.DONE, OverviewStatus.FAILED)
    (same | old).filter(status__in=finished).exclude(pk=overview.pk).delete()
