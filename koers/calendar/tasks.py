"""Background jobs of the calendar, run through Django's Tasks API (`koers db_worker`)."""

from __future__ import annotations

from django_tasks import task

from koers.calendar import actions


@task()
def work_out_overview(overview_id: int) -> None:
    """Work a requested year overview out (about half a minute with the journeys)."""
    actions.run_overview(overview_id)
