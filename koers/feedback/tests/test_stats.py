"""NPS, thumbs and emotion figures, checked against values worked out by hand.

The arithmetic next to each expected value follows docs/feedback.md, "The figures": adjusted Wald with
n' = n + 3, p' = (promoters + 0.75) / n', d' = (detractors + 0.75) / n',
var = p' + d' - (p' - d')², se = sqrt(var / n'), interval (p' - d') ± 1.96·se, times 100.
"""

from __future__ import annotations

from datetime import date

import pytest

from koers.feedback.stats import (
    NpsResult,
    band,
    breakdown,
    compare,
    emotion,
    not_enough_text,
    nps,
    nps_from_counts,
    thumbs,
    thumbs_trend,
    trend,
)


def answers(promoters: int, passives: int, detractors: int) -> list[int]:
    return [10] * promoters + [8] * passives + [3] * detractors


# --- bands -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_band_boundaries_follow_the_nps_definition(score: int, expected: str) -> None:
    assert band(score) == expected


def test_a_band_outside_zero_to_ten_is_refused() -> None:
    with pytest.raises(ValueError, match="niet 11"):
        band(11)


# --- NPS and its adjusted Wald interval ------------------------------------------------


def test_the_worked_example_from_the_domain_notes() -> None:
    # Given 45 promoters, 35 passives and 20 detractors (n = 100)
    result = nps(answers(45, 35, 20))

    # NPS = 45% - 20% = +25; the reported score is the plain one, not the adjusted one.
    assert result.score == pytest.approx(25.0)
    # n' = 103; p' = 45.75/103; d' = 20.75/103; p' - d' = 25/103 = 0.242718
    # var = 66.5/103 - (25/103)² = 0.645631 - 0.058912 = 0.586719
    # se = sqrt(0.586719 / 103) = 0.075474; 1.96·se = 0.147929
    # interval 0.242718 ± 0.147929 = 0.094789 .. 0.390647, "about +9.5 to +39.1"
    assert result.low == pytest.approx(9.5, abs=0.05)
    assert result.high == pytest.approx(39.1, abs=0.05)
    assert result.low == pytest.approx(9.4789, abs=0.001)
    assert result.high == pytest.approx(39.0647, abs=0.001)
    assert (result.n, result.promoters, result.passives, result.detractors) == (100, 45, 35, 20)
    assert result.enough is True
    assert result.minimum == 30


def test_counts_give_the_same_result_as_the_answers() -> None:
    assert nps_from_counts(45, 35, 20) == nps(answers(45, 35, 20))


def test_one_promoter() -> None:
    result = nps([9])

    assert result.score == 100.0
    # n' = 4; p' = 1.75/4 = 0.4375; d' = 0.75/4 = 0.1875; p' - d' = 0.25
    # var = 0.625 - 0.0625 = 0.5625; se = sqrt(0.5625/4) = 0.375; 1.96·se = 0.735
    # interval 0.25 ± 0.735 = -0.485 .. 0.985
    assert result.low == pytest.approx(-48.5)
    assert result.high == pytest.approx(98.5)
    assert result.enough is False


def test_one_detractor_mirrors_one_promoter() -> None:
    result = nps([0])

    assert result.score == -100.0
    # p' = 0.1875; d' = 0.4375; p' - d' = -0.25; se = 0.375 as above
    # interval -0.25 ± 0.735 = -0.985 .. 0.485
    assert result.low == pytest.approx(-98.5)
    assert result.high == pytest.approx(48.5)


def test_one_passive() -> None:
    result = nps([7])

    assert result.score == 0.0
    # p' = d' = 0.75/4 = 0.1875; p' - d' = 0; var = 0.375
    # se = sqrt(0.375/4) = sqrt(0.09375) = 0.306186; 1.96·se = 0.600125
    assert result.low == pytest.approx(-60.0125, abs=1e-4)
    assert result.high == pytest.approx(60.0125, abs=1e-4)


def test_all_promoters_clip_the_interval_at_plus_100() -> None:
    result = nps([10] * 10)

    assert result.score == 100.0
    # n' = 13; p' = 10.75/13; d' = 0.75/13; p' - d' = 10/13 = 0.769231
    # var = 11.5/13 - (10/13)² = 0.884615 - 0.591716 = 0.292899
    # se = sqrt(0.292899/13) = 0.150102; 1.96·se = 0.294201
    # interval 0.769231 ± 0.294201 = 0.475030 .. 1.063432, the top clipped to 1
    assert result.low == pytest.approx(47.503, abs=0.001)
    assert result.high == 100.0


def test_all_detractors_clip_the_interval_at_minus_100() -> None:
    result = nps([0, 1, 2, 3, 4, 5, 6, 6, 6, 6])

    assert result.score == -100.0
    # mirror image of ten promoters: -1.063432 .. -0.475030, the bottom clipped to -1
    assert result.low == -100.0
    assert result.high == pytest.approx(-47.503, abs=0.001)


def test_no_responses_give_no_score_and_no_interval() -> None:
    result = nps([])

    assert result == NpsResult(
        n=0,
        promoters=0,
        passives=0,
        detractors=0,
        score=None,
        low=None,
        high=None,
        enough=False,
        minimum=30,
    )
    assert not_enough_text(result) == "Nog niet genoeg antwoorden: 0 van de minimaal 30."


def test_as_dict_holds_every_field() -> None:
    assert nps([9], minimum=1).as_dict() == {
        "n": 1,
        "promoters": 1,
        "passives": 0,
        "detractors": 0,
        "score": 100.0,
        "low": pytest.approx(-48.5),
        "high": pytest.approx(98.5),
        "enough": True,
        "minimum": 1,
    }


@pytest.mark.parametrize(("bad", "named"), [(11, "11"), (-1, "-1"), (7.5, "7.5"), ("9", "'9'")])
def test_a_score_outside_zero_to_ten_or_not_whole_is_refused_by_name(
    bad: object, named: str
) -> None:
    with pytest.raises(ValueError, match=f"niet {named}"):
        nps([9, bad])  # type: ignore[list-item]


def test_a_yes_no_value_is_not_an_nps_answer() -> None:
    with pytest.raises(ValueError, match="niet True"):
        nps([True])


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="detractors"):
        nps_from_counts(1, 1, -1)


# --- not enough answers ----------------------------------------------------------------


def test_below_the_minimum_the_sentence_gives_both_numbers() -> None:
    assert not_enough_text(nps([9] * 12)) == "Nog niet genoeg antwoorden: 12 van de minimaal 30."


def test_large_numbers_use_a_dot_for_thousands() -> None:
    result = nps_from_counts(1000, 200, 34, minimum=2000)

    assert not_enough_text(result) == "Nog niet genoeg antwoorden: 1.234 van de minimaal 2.000."


def test_at_the_minimum_there_is_no_sentence() -> None:
    result = nps([9] * 30)

    assert result.enough is True
    assert not_enough_text(result) is None


# --- comparing two groups --------------------------------------------------------------


def test_compare_two_groups_that_differ_clearly() -> None:
    # A: 50 P, 30 passives, 20 D -> p = .5, d = .2, NPS +30, var = .7 - .3² = .61
    # B: 30 P, 40 passives, 30 D -> p = .3, d = .3, NPS 0,   var = .6 - 0² = .6
    result = compare(nps(answers(50, 30, 20)), nps(answers(30, 40, 30)))

    assert result.difference == pytest.approx(30.0)
    # se = sqrt(.61/100 + .6/100) = sqrt(.0121) = .11; z = .30/.11 = 2.727273
    assert result.z == pytest.approx(2.727273, abs=1e-6)
    # 1.96·.11 = .2156: .30 ± .2156 = .0844 .. .5156
    assert result.low == pytest.approx(8.44)
    assert result.high == pytest.approx(51.56)
    # normal table: Φ(2.727) = 0.99681, two-sided p = 2·(1 - 0.99681) = 0.0064
    assert result.p_value == pytest.approx(0.0064, abs=1e-4)
    assert result.significant is True
    assert result.reason is None


def test_compare_two_groups_that_do_not_differ_significantly() -> None:
    # A: NPS +30, var .61 (as above); B: 45 P, 35 passives, 20 D -> NPS +25,
    # var = .65 - .25² = .5875
    result = compare(nps(answers(50, 30, 20)), nps(answers(45, 35, 20)))

    assert result.difference == pytest.approx(5.0)
    # se = sqrt(.0061 + .005875) = sqrt(.011975) = .109430; z = .05/.109430 = 0.456912
    assert result.z == pytest.approx(0.456912, abs=1e-6)
    # normal table: Φ(0.457) = 0.6762, two-sided p = 2·(1 - 0.6762) = 0.6476
    assert result.p_value == pytest.approx(0.6477, abs=2e-4)
    assert result.significant is False


def test_compare_is_antisymmetric() -> None:
    ab = compare(nps(answers(50, 30, 20)), nps(answers(30, 40, 30)))
    ba = compare(nps(answers(30, 40, 30)), nps(answers(50, 30, 20)))

    assert ba.difference == pytest.approx(-30.0)
    assert ba.z == pytest.approx(-2.727273, abs=1e-6)
    assert ba.p_value == pytest.approx(ab.p_value)


def test_compare_with_an_empty_group_gives_a_reason_and_no_test() -> None:
    result = compare(nps([9, 10]), nps([]))

    assert result.difference is None
    assert (result.low, result.high, result.z, result.p_value) == (None, None, None, None)
    assert result.significant is False
    assert result.reason == "te weinig antwoorden om te vergelijken"


def test_compare_without_spread_gives_a_reason_and_no_test() -> None:
    # Only promoters on both sides: var = 1 + 0 - 1² = 0, so se = 0.
    result = compare(nps([10, 10]), nps([9]))

    assert result.difference == 0.0
    assert result.z is None
    assert result.p_value is None
    assert result.reason == "te weinig antwoorden om te vergelijken"


# --- thumbs and the Wilson interval ----------------------------------------------------


def test_eight_of_ten_thumbs_up() -> None:
    result = thumbs(8, 2)

    assert (result.n, result.up, result.rate) == (10, 8, 0.8)
    # z² = 3.8416; denominator = 1 + 3.8416/10 = 1.38416
    # centre = (0.8 + 3.8416/20) / 1.38416 = 0.99208 / 1.38416 = 0.716738
    # half = 1.96/1.38416 · sqrt(0.8·0.2/10 + 3.8416/400)
    #      = 1.416022 · sqrt(0.016 + 0.009604) = 1.416022 · 0.160012 = 0.226581
    assert result.low == pytest.approx(0.490157, abs=1e-5)
    assert result.high == pytest.approx(0.943319, abs=1e-5)
    assert result.enough is False


def test_ten_of_ten_thumbs_up_reaches_one() -> None:
    result = thumbs(10, 0)

    assert result.rate == 1.0
    # centre = 1.19208 / 1.38416; half = 1.416022 · sqrt(0.009604) = 0.19208 / 1.38416
    # low = (1.19208 - 0.19208) / 1.38416 = 1 / 1.38416 = 0.722460; high = 1
    assert result.low == pytest.approx(0.722460, abs=1e-6)
    assert result.high == pytest.approx(1.0)


def test_no_thumbs_give_no_rate() -> None:
    result = thumbs(0, 0)

    assert (result.n, result.rate, result.low, result.high, result.enough) == (
        0,
        None,
        None,
        None,
        False,
    )
    assert not_enough_text(result) == "Nog niet genoeg antwoorden: 0 van de minimaal 30."


def test_thumbs_with_enough_answers_need_no_sentence() -> None:
    result = thumbs(25, 5, minimum=30)

    assert result.enough is True
    assert not_enough_text(result) is None


def test_negative_thumbs_are_refused() -> None:
    with pytest.raises(ValueError, match="-1"):
        thumbs(-1, 3)


# --- breakdown and trend ---------------------------------------------------------------


def test_breakdown_gives_an_nps_per_key_in_sorted_order() -> None:
    rows = [("vrijwilligers", 10), ("donateurs", 0), ("vrijwilligers", 7), ("donateurs", 9)]

    result = breakdown(rows, minimum=2)

    assert list(result) == ["donateurs", "vrijwilligers"]
    # donateurs: 1 promoter, 1 detractor -> 50% - 50% = 0
    assert result["donateurs"].score == 0.0
    # vrijwilligers: 1 promoter, 1 passive -> 50% - 0% = +50
    assert result["vrijwilligers"].score == 50.0
    assert result["vrijwilligers"].enough is True


def test_breakdown_of_nothing_is_empty() -> None:
    assert breakdown([]) == {}


def test_trend_per_month_shows_a_month_without_answers() -> None:
    # (day, (promoters, passives, detractors)): two rows of September add up
    counts = [
        (date(2026, 11, 3), (0, 0, 1)),
        (date(2026, 9, 30), (1, 0, 0)),
        (date(2026, 9, 1), (1, 0, 0)),
    ]

    result = trend(counts)

    assert [label for label, _ in result] == ["2026-09", "2026-10", "2026-11"]
    september, october, november = (figure for _, figure in result)
    assert (september.n, september.score) == (2, 100.0)
    assert (october.n, october.score, october.low) == (0, None, None)
    assert (november.n, november.score) == (1, -100.0)


def test_trend_per_month_gives_each_month_its_nps_and_interval() -> None:
    counts = [(date(2026, 1, 1), (45, 35, 20)), (date(2026, 3, 1), (1, 0, 0))]

    result = trend(counts, minimum=30)

    assert [(label, figure.n, figure.enough) for label, figure in result] == [
        ("2026-01", 100, True),
        ("2026-02", 0, False),
        ("2026-03", 1, False),
    ]
    january, _february, march = (figure for _, figure in result)
    # the worked example of the domain notes: +25, adjusted Wald +9.4789 to +39.0647
    assert january.score == pytest.approx(25.0)
    assert january.low == pytest.approx(9.4789, abs=0.001)
    assert january.high == pytest.approx(39.0647, abs=0.001)
    # one promoter: n' = 4, p' = 0.4375, d' = 0.1875, p' - d' = 0.25,
    # se = sqrt((0.625 - 0.0625) / 4) = 0.375, 1.96 se = 0.735: -48.5 to +98.5
    assert (march.promoters, march.score) == (1, 100.0)
    assert march.low == pytest.approx(-48.5)
    assert march.high == pytest.approx(98.5)


def test_trend_applies_the_minimum_to_each_period() -> None:
    counts = [(date(2026, 5, 20), (2, 1, 0)), (date(2026, 6, 2), (1, 0, 1))]

    result = trend(counts, minimum=3)

    assert [(label, figure.n, figure.enough, figure.minimum) for label, figure in result] == [
        ("2026-05", 3, True, 3),
        ("2026-06", 2, False, 3),
    ]


def test_trend_per_quarter_crosses_the_year() -> None:
    counts = [
        (date(2026, 3, 31), (1, 0, 0)),
        (date(2026, 10, 1), (0, 1, 0)),
        (date(2027, 1, 5), (0, 0, 1)),
    ]

    result = trend(counts, period="quarter")

    assert [(label, figure.n) for label, figure in result] == [
        ("2026-K1", 1),
        ("2026-K2", 0),
        ("2026-K3", 0),
        ("2026-K4", 1),
        ("2027-K1", 1),
    ]


def test_trend_per_quarter_adds_the_months_of_a_quarter() -> None:
    # April, May and June are the second quarter; a period starts on its first day
    counts = [
        (date(2026, 4, 1), (3, 0, 1)),
        (date(2026, 6, 30), (1, 2, 1)),
        (date(2026, 7, 1), (0, 0, 2)),
    ]

    result = trend(counts, period="quarter", minimum=1)

    second, third = (figure for _, figure in result)
    assert [label for label, _ in result] == ["2026-K2", "2026-K3"]
    # K2: 4 promoters, 2 passives, 2 detractors -> 50% - 25% = +25
    assert (second.n, second.promoters, second.passives, second.detractors) == (8, 4, 2, 2)
    assert second.score == 25.0
    assert (third.n, third.score) == (2, -100.0)


def test_a_period_counted_without_answers_does_not_stretch_the_trend() -> None:
    counts = [(date(2026, 1, 1), (0, 0, 0)), (date(2026, 3, 1), (0, 1, 0))]

    assert [label for label, _ in trend(counts)] == ["2026-03"]


def test_trend_of_nothing_is_empty() -> None:
    assert trend([]) == []
    assert thumbs_trend([]) == []


def test_trend_refuses_an_unknown_period() -> None:
    with pytest.raises(ValueError, match="'week'"):
        trend([(date(2026, 1, 1), (1, 0, 0))], period="week")
    with pytest.raises(ValueError, match="'week'"):
        thumbs_trend([(date(2026, 1, 1), (1, 0))], period="week")


def test_trend_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="-1"):
        trend([(date(2026, 1, 1), (2, 0, -1))])
    with pytest.raises(ValueError, match="-1"):
        thumbs_trend([(date(2026, 1, 1), (2, -1))])


def test_thumbs_trend_gives_a_wilson_rate_per_month_and_fills_the_gaps() -> None:
    # (day, (up, down))
    counts = [(date(2026, 12, 24), (8, 2)), (date(2027, 2, 1), (0, 3))]

    result = thumbs_trend(counts, minimum=10)

    assert [(label, figure.n, figure.up, figure.enough) for label, figure in result] == [
        ("2026-12", 10, 8, True),
        ("2027-01", 0, 0, False),
        ("2027-02", 3, 0, False),
    ]
    december, january, february = (figure for _, figure in result)
    # 8 of 10 up: centre 0.716738, half 0.226581 (see test_eight_of_ten_thumbs_up)
    assert december.rate == 0.8
    assert december.low == pytest.approx(0.490157, abs=1e-5)
    assert december.high == pytest.approx(0.943319, abs=1e-5)
    assert (january.rate, january.low, january.high) == (None, None, None)
    # 0 of 3 up: z² = 3.8416, denominator = 1 + 3.8416/3 = 2.280533,
    # centre = (3.8416/6) / 2.280533 = 0.280753,
    # half = 1.96/2.280533 · sqrt(0 + 3.8416/36) = (3.8416/6) / 2.280533 = centre,
    # so low = 0 and high = 2 · 0.280753 = 0.561506
    assert february.rate == 0.0
    assert february.low == pytest.approx(0.0)
    assert february.high == pytest.approx(0.561506, abs=1e-6)


def test_thumbs_trend_per_quarter() -> None:
    counts = [(date(2026, 2, 14), (3, 1)), (date(2026, 3, 2), (1, 0)), (date(2026, 8, 8), (1, 1))]

    result = thumbs_trend(counts, period="quarter", minimum=5)

    assert [
        (label, figure.n, figure.up, figure.rate, figure.enough) for label, figure in result
    ] == [
        ("2026-K1", 5, 4, 0.8, True),
        ("2026-K2", 0, 0, None, False),
        ("2026-K3", 2, 1, 0.5, False),
    ]


# --- emotion on the journey map --------------------------------------------------------


def test_nps_answers_map_linearly_onto_minus_two_to_plus_two() -> None:
    # 10 -> 10/10·4 - 2 = +2; 0 -> -2; 5 -> 0: mean 0
    assert emotion([10, 0, 5], "nps") == (0.0, 3)
    # 9 -> 9/10·4 - 2 = 1.6
    assert emotion([9], "nps") == (1.6, 1)
    # 7 -> 0.8 and 8 -> 1.2: mean 1.0
    assert emotion([7, 8], "nps") == (1.0, 2)


def test_thumbs_map_up_to_plus_two_and_down_to_minus_two() -> None:
    # (2 + 2 - 2) / 3 = 0.666... -> 0.67
    assert emotion([1, 1, 0], "thumbs") == (0.67, 3)
    assert emotion([0], "thumbs") == (-2.0, 1)


def test_a_five_point_scale_maps_one_to_minus_two_and_five_to_plus_two() -> None:
    # 5 -> +2, 4 -> +1: mean 1.5
    assert emotion([5, 4], "scale5") == (1.5, 2)
    assert emotion([1], "scale5") == (-2.0, 1)
    assert emotion([3], "scale5") == (0.0, 1)


def test_no_feedback_gives_no_emotion() -> None:
    assert emotion([], "nps") == (None, 0)


@pytest.mark.parametrize(
    ("scores", "scale", "message"),
    [
        ([11], "nps", "Waarde 11 valt buiten de schaal nps"),
        ([2], "thumbs", "Waarde 2 valt buiten de schaal thumbs"),
        ([0.5], "thumbs", "Een duim is 1 \\(omhoog\\) of 0 \\(omlaag\\), niet 0.5"),
        ([0], "scale5", "Waarde 0 valt buiten de schaal scale5"),
    ],
)
def test_feedback_outside_its_scale_is_refused(
    scores: list[float], scale: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        emotion(scores, scale)


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="'stars'"):
        emotion([3], "stars")
