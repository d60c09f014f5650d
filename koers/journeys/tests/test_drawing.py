"""The journey map's layout: bands that fit the screen, and the emotion lines' geometry."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from koers.journeys import drawing
from koers.journeys.definition import DefinitionError, Note, parse_definition
from koers.journeys.tests.test_pages import THANKS


def _thanks() -> Any:
    """A copy of the test journey whose first step's map can be changed."""
    return copy.deepcopy(THANKS)


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (0, []),
        (1, [1]),
        (7, [7]),
        (8, [4, 4]),
        (15, [5, 5, 5]),
        (16, [6, 5, 5]),
        (22, [6, 6, 5, 5]),
    ],
)
def test_steps_are_cut_into_as_few_and_as_even_bands_as_fit(count: int, sizes: list[int]) -> None:
    assert drawing.band_sizes(count) == sizes


def test_a_band_numbers_on_and_draws_both_emotion_lines_on_one_scale() -> None:
    designed = [2, None, -2, 0, 1, 0, None, 2]
    measured = [1.6, None, None, None, None, None, None, -0.5]

    bands = drawing.bands(list(range(8)), lambda i: designed[i], lambda i: measured[i])

    assert [(band.first, band.last) for band in bands] == [(1, 4), (5, 8)]
    assert bands[0].designed_line == "12.5,25 62.5,90 87.5,57.5"
    assert [point.level for point in bands[0].designed] == [4, 0, 2]
    assert bands[0].measured_line == "12.5,31.5"
    assert bands[1].measured == [drawing.Point(87.5, 65.62, -0.5)]
    assert bands[1].scale[0] == (2, 25.0) and bands[1].scale[-1] == (-2, 90.0)


def test_pain_points_opportunities_and_backstage_are_read_from_the_map() -> None:
    data = _thanks()
    data["steps"][0]["map"] = {
        "backstage": "Het belteam belt van de bellijst",
        "pains": [
            "Veel voicemail",
            {"text": "Script te lang", "owner": "Service", "status": "busy"},
        ],
        "opportunities": {"text": "Vraag naar de voorkeur", "status": "solved"},
    }

    step = parse_definition(data).steps[0]

    assert step.backstage == "Het belteam belt van de bellijst"
    assert step.pains == (Note("Veel voicemail"), Note("Script te lang", "Service", "busy"))
    assert step.opportunities == (Note("Vraag naar de voorkeur", "", "solved"),)


def test_a_bad_note_and_an_unknown_map_field_are_named_at_their_place() -> None:
    data = _thanks()
    data["steps"][0]["map"] = {"pains": [{"text": "x", "status": "klaar"}, 3], "emotoin": 1}

    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)

    key = data["steps"][0]["key"]
    assert caught.value.problems == [
        f"stap '{key}'.map: onbekend veld 'emotoin' (bedoelde u 'emotion'?)",
        f"stap '{key}'.map.pains[1].status: status 'klaar' bestaat niet; kies uit open, busy, solved",
        f"stap '{key}'.map.pains[2]: verwacht een tekst, of text met owner en status",
    ]
