"""Channels and step kinds are plug-ins listed in the settings (KOERS_CHANNELS,
KOERS_STEP_KINDS): every list of them Koers shows or checks against is read from there.
A channel added to the setting, and only there, is in all of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.forms import ChoiceField
from django.test import override_settings

from koers.calendar import base
from koers.calendar.forecast import CHANNELS
from koers.calendar.forms import MomentForm
from koers.calendar.models import Calendar
from koers.calendar.plan import PlanError, parse_plan
from koers.channels.base import Channel as ChannelKind
from koers.channels.base import registry
from koers.journeys.definition import DefinitionError, parse_definition
from koers.journeys.steps.base import kinds
from koers.relations.choices import ContactChannel
from koers.touchpoints.choices import (
    CHANNEL_KEYS,
    CONTENT_NEEDS,
    COST_CENTS,
    MINUTES,
    Channel,
    address_fields,
    channels_where,
    consent_channel,
)
from koers.touchpoints.models import Ceiling, PrintBatch, Touchpoint


class Pigeon(ChannelKind):
    """A channel that exists only in this test: staff take a message to the city."""

    key = "pigeon"
    label = "duif"
    consent = ContactChannel.POST
    address_fields = ("city",)
    content_needs = ("note",)
    cost_cents = 7
    minutes = 3
    staff_work = True


WITH_PIGEON = [*settings.KOERS_CHANNELS, "koers.tests.test_registries.Pigeon"]


def journey(channel: str) -> dict[str, Any]:
    return {
        "key": "duiven", "name": "Duiven", "phase": "welkom",
        "trigger": {"event": "mandate.started"},
        "steps": [{"key": "stuur", "kind": "action", "channel": channel, "nature": "inform",
                   "content": {"note": "Hallo"}}],
    }  # fmt: skip


def calendar(channel: str) -> dict[str, Any]:
    return {
        "key": "duiven", "name": "Duiven",
        "moments": [{"key": "kerst", "name": "Kerst", "when": {"date": "12-20"},
                     "groups": "all", "channels": [channel], "nature": "appreciate",
                     "content": {"note": "Hallo"}}],
    }  # fmt: skip


def test_the_channels_are_the_settings_list_in_its_order() -> None:
    keys = [path.rsplit(".", 1)[1].lower() for path in settings.KOERS_CHANNELS]
    assert Channel.values == list(registry()) == list(CHANNEL_KEYS) == list(CHANNELS) == keys


def test_the_step_kinds_are_the_settings_list() -> None:
    assert [type(kind).__name__ for kind in kinds().values()] == [
        path.rsplit(".", 1)[1] for path in settings.KOERS_STEP_KINDS
    ]
    assert str(kinds()["action"].label) == "contact"


@pytest.mark.django_db
def test_a_channel_in_the_setting_is_in_every_list_and_check() -> None:
    assert "pigeon" not in Channel.values
    with pytest.raises(DefinitionError):
        parse_definition(journey("pigeon"))
    with pytest.raises(PlanError):
        parse_plan(calendar("pigeon"))

    with override_settings(KOERS_CHANNELS=WITH_PIGEON):
        assert Channel("pigeon").label == "duif"
        assert ("pigeon", "duif") in Channel.choices
        for model in (Touchpoint, PrintBatch, Ceiling):
            assert ("pigeon", "duif") in list(model._meta.get_field("channel").choices or [])
        field = MomentForm(calendar=Calendar(key="duiven")).fields["channel_1"]
        assert isinstance(field, ChoiceField)
        assert ("pigeon", "duif") in list(field.choices)  # type: ignore[arg-type]
        assert CHANNELS[-1] == "pigeon"
        assert (COST_CENTS["pigeon"], MINUTES["pigeon"]) == (7, 3)
        assert CONTENT_NEEDS["pigeon"] == ("note",)
        assert consent_channel("pigeon", {}) == "post"
        assert address_fields("pigeon", {}) == ("city",)
        assert "pigeon" in channels_where("staff_work")
        assert "pigeon" not in channels_where("paper")
        parse_definition(journey("pigeon"))
        parse_plan(calendar("pigeon"))

    assert "pigeon" not in Channel.values


def test_the_calendar_reads_addresses_per_consent_from_the_channels() -> None:
    assert base.addresses() == {
        "email": ("email",),
        "post": ("street", "postcode", "city"),
        "phone": ("phone",),
    }
