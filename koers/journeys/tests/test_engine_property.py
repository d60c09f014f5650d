"""Random relation bases and random journeys: never a contact without a legal basis on its
channel, and never over a contact ceiling."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from koers.giving import actions as giving
from koers.giving.choices import Frequency
from koers.journeys.actions import publish
from koers.journeys.engine import tick
from koers.journeys.models import Journey
from koers.journeys.tests.conftest import local
from koers.relations import actions as relations
from koers.relations.choices import EventSource, LegalBasis
from koers.relations.models import Consent, Relation
from koers.touchpoints.choices import EXEMPT_NATURES, MADE, Nature, consent_channel
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Ceiling, Touchpoint
from koers.touchpoints.planning import days
from koers.touchpoints.queries import basis_allows

START = date(2026, 11, 2)

relation_spec = st.fixed_dictionaries(
    {
        "consents": st.dictionaries(
            st.sampled_from(["email", "post", "phone"]),
            st.tuples(st.sampled_from(LegalBasis.values), st.booleans()),  # basis, withdrawn
        ),
        "preferred": st.sampled_from(["email", "post", "phone", ""]),
        "email": st.booleans(),
        "phone": st.booleans(),
    }
)
ceiling_spec = st.tuples(
    st.sampled_from([*Nature.values, "email", "letter", "card", "phone", "task"]),
    st.integers(1, 2),  # limit
    st.integers(2, 14),  # period in days
)
action_spec = st.fixed_dictionaries(
    {
        "channel": st.sampled_from(["email", "letter", "card", "phone", "task"]),
        "consent": st.sampled_from(["post", "phone", "none"]),
        "nature": st.sampled_from(Nature.values),
        "pressure": st.sampled_from(["defer", "skip"]),
        "wait_days": st.integers(0, 3),
    }
)


def _content(channel: str, consent: str) -> dict[str, str]:
    return {
        "email": {"subject": "Hallo", "body": "Tekst"},
        "letter": {"body": "Tekst"},
        "card": {"body": "Tekst"},
        "phone": {"script": "Bel"},
        "task": {"title": "Taak", "role": "beheerder", "consent": consent},
    }[channel]


def _journey(actions: list[dict[str, Any]]) -> dict[str, Any]:
    steps: list[dict[str, Any]] = []
    for number, action in enumerate(actions):
        steps.append(
            {
                "key": f"a{number}",
                "kind": "action",
                "channel": action["channel"],
                "nature": action["nature"],
                "pressure": action["pressure"],
                "content": _content(action["channel"], action["consent"]),
            }
        )
        if action["wait_days"]:
            steps.append(
                {"key": f"w{number}", "kind": "wait", "for": f"{action['wait_days']} days"}
            )
    return {
        "key": "willekeurig",
        "name": "Willekeurig",
        "phase": "welkom",
        "status": "active",
        "trigger": {"event": "mandate.started", "reentry": "once"},
        "steps": steps,
    }


def _relation(number: int, spec: dict[str, Any]) -> Relation:
    relation = relations.create_relation(
        external_id=f"P{number}",
        now=local(2026, 11, 2),
        source=EventSource.IMPORT,
        first_name="Test",
        last_name=f"Persoon {number}",
        email=f"p{number}@example.org" if spec["email"] else "",
        phone="0612345678" if spec["phone"] else "",
        street="Laan",
        postcode="1234AB",
        city="Zwolle",
        preferred_channel=spec["preferred"],
    )
    for channel, (basis, withdrawn) in spec["consents"].items():
        Consent.objects.create(
            relation=relation,
            channel=channel,
            basis=basis,
            given_at=local(2026, 11, 1),
            withdrawn_at=local(2026, 11, 1) if withdrawn else None,
        )
    giving.start_mandate(
        relation.pk, f"M{number}", 1000, Frequency.MONTHLY, START, source=EventSource.IMPORT
    )
    return relation


def _allowed(touchpoint: Touchpoint) -> bool:
    needed = consent_channel(touchpoint.channel, touchpoint.fields)
    if needed is None:
        return True
    consent = Consent.objects.filter(relation=touchpoint.relation_id, channel=needed).first()
    return consent is not None and basis_allows(
        consent.basis, needed, consent.withdrawn_at is not None
    )


def sent(touchpoint: Touchpoint) -> datetime:
    assert touchpoint.sent_at is not None, "a contact made has a moment it was made"
    return touchpoint.sent_at


def _over_ceiling(made: list[Touchpoint], ceilings: list[Ceiling]) -> list[str]:
    """Replays the made contacts in the order they were made; names each that broke a ceiling."""
    broken = []
    for index, touchpoint in enumerate(made):
        if touchpoint.nature in EXEMPT_NATURES:
            continue
        for ceiling in ceilings:
            scope = ceiling.nature or ceiling.channel
            if scope not in (touchpoint.nature, touchpoint.channel):
                continue
            since = sent(touchpoint) - timedelta(days=ceiling.period_days)
            earlier = [
                t
                for t in made[:index]
                if t.relation_id == touchpoint.relation_id
                and sent(t) > since
                and scope in (t.nature, t.channel)
            ]
            if len(earlier) >= ceiling.limit:
                broken.append(f"{touchpoint} over {ceiling}")
    return broken


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    bases=st.lists(relation_spec, min_size=1, max_size=5),
    actions=st.lists(action_spec, min_size=1, max_size=6),
    ceilings=st.lists(ceiling_spec, max_size=3),
)
def test_no_contact_without_consent_and_no_ceiling_exceeded(
    bases: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    ceilings: list[tuple[str, int, int]],
    seeded: None,
) -> None:
    Relation.objects.all().delete()
    Journey.objects.all().delete()
    for scope, limit, period in ceilings:
        nature, channel = (scope, "") if scope in Nature.values else ("", scope)
        Ceiling.objects.create(nature=nature, channel=channel, limit=limit, period_days=period)
    publish(_journey(actions))
    for number, spec in enumerate(bases):
        _relation(number, spec)

    for now in days(START + timedelta(days=1), START + timedelta(days=21)):
        tick(now)
        dispatch(now, dry_run=True)

    made = sorted(
        Touchpoint.objects.filter(status__in=MADE),
        key=lambda t: (sent(t), t.planned_at, t.id),
    )
    assert [str(t) for t in made if not _allowed(t)] == []
    assert _over_ceiling(made, list(Ceiling.objects.all())) == []
    assert Touchpoint.objects.count() <= len(bases) * len(actions)
    skipped = Touchpoint.objects.filter(status="skipped").values_list("skip_reason", flat=True)
    for reason in set(skipped):
        event(f"skipped: {reason}")
    if any(sent(t).date() > t.created_at.date() + timedelta(days=1) for t in made):
        event("deferred by a ceiling or business hours")
