"""Who looked at a relation or downloaded personal data is written down, and stays so."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from koers.relations.models import Relation
from koers.web.models import AccessEntry, AccessKind


def test_opening_a_relation_page_names_the_user_and_the_relation(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    login("beller").get(f"/relaties/{relations['anna'].pk}/")

    entries = list(AccessEntry.objects.values_list("username", "kind", "target", "client"))
    assert entries == [("beller-user", AccessKind.RELATION_VIEWED, "relatie 1001", "127.0.0.1")]


def test_a_refused_page_writes_nothing(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    login("").get(f"/relaties/{relations['anna'].pk}/")

    assert not AccessEntry.objects.exists()


def test_downloading_the_feedback_workbook_is_logged(login: Callable[[str], Client]) -> None:
    login("analist").get("/feedback/nps-relatie/export.xlsx")

    entry = AccessEntry.objects.get()
    assert (entry.username, entry.kind) == ("analist-user", AccessKind.DOWNLOADED)
    assert entry.target.startswith("feedback-nps-relatie-")


def test_an_entry_cannot_be_changed(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    login("kijker").get(f"/relaties/{relations['anna'].pk}/")
    entry = AccessEntry.objects.get()
    entry.username = "iemand-anders"

    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_administrators_read_the_log_in_the_admin_but_cannot_change_it(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    admin = login("beheerder")
    admin.get(f"/relaties/{relations['anna'].pk}/")
    entry = AccessEntry.objects.get()

    listing = admin.get("/admin/web/accessentry/")
    add = admin.get("/admin/web/accessentry/add/")
    delete = admin.get(f"/admin/web/accessentry/{entry.pk}/delete/")

    assert listing.status_code == 200 and "relatie 1001" in listing.content.decode()
    assert (add.status_code, delete.status_code) == (403, 403)
