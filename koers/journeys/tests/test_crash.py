"""A tick stopped between any two statements, then run again: nothing doubled, nothing lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from koers.journeys.engine import tick
from koers.journeys.tests.conftest import local
from koers.journeys.tests.test_welcome_flow import (
    EXPECTED,
    cancel_on_day_three,
    four_new_donors,
    rows,
)
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.planning import days

pytestmark = pytest.mark.django_db


class Killed(Exception):
    """Stands in for the process dying: the open transaction is rolled back, nothing more."""


class Dies:
    """A checkpoint that kills the tick at its n-th statement."""

    def __init__(self, after: int) -> None:
        self.after, self.seen = after, 0

    def __call__(self) -> None:
        self.seen += 1
        if self.seen == self.after:
            raise Killed


def statements_in_a_tick(now: object) -> int:
    count = 0

    def counting() -> None:
        nonlocal count
        count += 1

    tick(now, checkpoint=counting)  # type: ignore[arg-type]
    return count


def test_every_tick_killed_at_each_statement_and_rerun_gives_the_same_touchpoints(
    quiet_channels: None, seeded: None
) -> None:
    four_new_donors()
    kills = 0
    for now in days(date(2026, 11, 3), date(2026, 12, 31)):
        cancel_on_day_three(now)
        stop_at = 1
        while True:
            try:
                tick(now, checkpoint=Dies(after=stop_at))
            except Killed:
                kills += 1
                stop_at += 1  # next time, die one statement later
                continue
            break
        dispatch(now)

    assert kills > 900  # every statement of every tick was once a place to die
    assert rows() == EXPECTED


def test_a_tick_run_twice_plans_nothing_the_second_time(quiet_channels: None, seeded: None) -> None:
    four_new_donors()
    now = local(2026, 11, 3)
    first = tick(now)
    second = tick(now)

    assert (first.enrolled, first.planned) == (4, 4)
    assert (second.enrolled, second.moved, second.planned) == (0, 0, 0)
    assert Touchpoint.objects.count() == 4
    assert statements_in_a_tick(now + timedelta(minutes=1)) > 0
