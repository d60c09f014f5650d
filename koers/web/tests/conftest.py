from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.test import Client

from koers.giving.models import Gift, Mandate
from koers.groups.facts import refresh_facts
from koers.relations.models import Relation

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def login(db: None) -> Callable[[str], Client]:
    """A client logged in as a user with the given role."""

    def make(role: str) -> Client:
        user = User.objects.create_user(username=f"{role}-user", password="x")
        user.groups.add(Role.objects.get(name=role))
        if role == "beheerder":
            user.is_staff = True
            user.save()
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def relations(db: None) -> dict[str, Relation]:
    anna = Relation.objects.create(
        external_id="1001", first_name="Anna", last_name="Jansen", city="Utrecht"
    )
    bert = Relation.objects.create(
        external_id="1002", first_name="Bert", infix="de", last_name="Vries", city="Breda"
    )
    cor = Relation.objects.create(
        external_id="1003", first_name="Cor", last_name="Smit", city="Utrecht"
    )
    Gift.objects.create(relation=anna, received_on=date(2026, 6, 1), amount_cents=123456)
    Mandate.objects.create(
        reference="M1",
        relation=bert,
        amount_cents=1000,
        frequency="monthly",
        start_date=date(2025, 1, 1),
    )
    refresh_facts(NOW)
    return {"anna": anna, "bert": bert, "cor": cor}
