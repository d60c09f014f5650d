"""The example calendar on the demo base: it passes all five checks."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.calendar.actions import install
from koers.calendar.report import work_out


@pytest.mark.django_db
def test_the_example_calendar_passes_its_checks_on_the_demo_data(seeded: None) -> None:
    call_command("demo", "--relations", "1500", "--seed", "3", "--no-journeys", stdout=StringIO())
    calendar = install("example")

    year = work_out(calendar, timezone.localdate().year + 1, journeys=False)

    assert [(c.key, c.passed, c.findings) for c in year.checks] == [
        ("coverage", True, []),
        ("proportion", True, []),
        ("balance", True, []),
        ("ceiling", True, []),
        ("staff_peak", True, []),  # 1,500 relations: no week reaches 40 staff hours
    ]
    averages = [row["average"] for row in year.checks[1].rows if row["relations"]]
    assert averages == sorted(averages) and averages[0] > 0
