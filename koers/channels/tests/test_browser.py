"""What a caller sees in Debian's chromium: names as written, and a refused text in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User

from koers.channels.tests.test_texts import WALKER
from koers.conftest import PASSWORD, log_in
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Relation
from koers.touchpoints.models import Touchpoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def call(relation: Relation, script: str, hour: int) -> None:
    Touchpoint.objects.create(
        relation=relation, source="test:bellen", occurrence="1", channel="phone", nature="thank",
        status="open", planned_at=local(2026, 11, 23, hour), content={"script": script},
    )  # fmt: skip


def test_a_caller_reads_names_as_written_and_a_refused_script_as_a_problem(
    page: Any, live_server: Any, seeded: None, artifacts_dir: Path
) -> None:
    anne = donor("A1", "Anne")
    Relation.objects.filter(pk=anne.pk).update(infix="'t", last_name="Hart")
    firm = donor("J2", "Jan")
    Relation.objects.filter(pk=firm.pk).update(
        kind="organisation", organisation_name="Jansen & Zonen B.V."
    )
    call(Relation.objects.get(pk=anne.pk), "Bedank {{ naam }} uit {{ relatie.plaats }}.", 9)
    call(Relation.objects.get(pk=firm.pk), "Bedank {{ naam }}.\n" + WALKER, 10)
    user = User.objects.create_user(username="bob", password=PASSWORD)
    user.groups.add(Role.objects.get(name="beller"))

    log_in(page, live_server, "bob", "/bellijst/")
    page.screenshot(path=str(artifacts_dir / "bellijst-namen.png"), full_page=True)

    first, second = page.locator("article.call").all()
    assert first.locator("h2 a").inner_text() == "Anne 't Hart"
    assert first.locator(".script").inner_text() == "Bedank Anne 't Hart uit Utrecht."
    assert second.locator("h2 a").inner_text() == "Jansen & Zonen B.V."
    assert second.locator(".script").count() == 0
    problem = second.locator(".error p").all_inner_texts()
    assert problem[0].startswith("Dit belscript kan niet worden getoond:")
    assert problem[1].startswith("'{% for %}' kan niet in een tekst;")
