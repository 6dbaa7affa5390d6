"""The aggregate's arithmetic, checked against numbers computed by hand.

Scales are chosen so that the hand computation stays readable: on a 0-10
scale a score v is v x 10 on the 0-100 scale; on 0-100 it is itself.
"""

import datetime as dt

import pytest

from juries.aggregation import (
    MEAN,
    ZSCORE,
    AssignmentInput,
    CriterionInput,
    IdeaInput,
    compute,
    rules_text,
    weighted_score,
)

A = CriterionInput("a", weight=40, scale_min=0, scale_max=10)
B = CriterionInput("b", weight=40, scale_min=0, scale_max=10)
C = CriterionInput("c", weight=20, scale_min=0, scale_max=10)
ONE_TO_TEN = CriterionInput("overall", weight=100, scale_min=1, scale_max=10)
PERCENT = CriterionInput("overall", weight=100, scale_min=0, scale_max=100)
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def submitted(juror, idea, *values, criteria=(PERCENT,)):
    return AssignmentInput(
        juror=juror,
        idea=idea,
        state="submitted",
        values={c.key: v for c, v in zip(criteria, values, strict=True)},
    )


def ranking(result):
    return [row.key for row in result.ideas]


def test_weights_and_scales_make_each_jurors_score():
    # 0.4 x 100 + 0.4 x 0 + 0.2 x 50 = 50
    assert weighted_score([A, B, C], {"a": 10, "b": 0, "c": 5}) == pytest.approx(50)
    # 0.4 x 0 + 0.4 x 100 + 0.2 x 0 = 40
    assert weighted_score([A, B, C], {"a": 0, "b": 10, "c": 0}) == pytest.approx(40)
    # Mixed scales: 3 on 1-5 is 50, 20 on 0-100 is 20; equal weights: 35.
    d = CriterionInput("d", weight=50, scale_min=1, scale_max=5)
    e = CriterionInput("e", weight=50, scale_min=0, scale_max=100)
    assert weighted_score([d, e], {"d": 3, "e": 20}) == pytest.approx(35)


def test_weights_decide_the_ranking():
    criteria = [A, B, C]
    ideas = [IdeaInput("P"), IdeaInput("Q"), IdeaInput("R")]
    result = compute(
        criteria=criteria,
        ideas=ideas,
        assignments=[
            submitted("x", "P", 10, 0, 5, criteria=criteria),  # 50
            submitted("x", "Q", 0, 10, 0, criteria=criteria),  # 40
            submitted("x", "R", 5, 5, 10, criteria=criteria),  # 20 + 20 + 20 = 60
        ],
    )
    assert ranking(result) == ["R", "P", "Q"]
    assert [round(r.aggregate, 6) for r in result.ideas] == [60, 50, 40]
    assert result.method == MEAN
    assert result.proposed == ["R"]


def test_an_ideas_aggregate_is_the_mean_over_its_jurors():
    result = compute(
        criteria=[PERCENT],
        ideas=[IdeaInput("P"), IdeaInput("Q")],
        assignments=[
            submitted("x", "P", 50),
            submitted("y", "P", 70),  # P: 60
            submitted("x", "Q", 80),
            submitted("y", "Q", 30),  # Q: 55
        ],
    )
    assert ranking(result) == ["P", "Q"]
    assert result.idea("P").aggregate == pytest.approx(60)
    assert result.idea("Q").aggregate == pytest.approx(55)


def test_normalisation_cancels_a_lenient_juror_and_changes_the_winner():
    # L is lenient and barely separates the ideas (100, 90, 95); H is harsh and
    # clearly prefers Q (10, 60, 20).
    assignments = [
        submitted("L", "P", 100),
        submitted("L", "Q", 90),
        submitted("L", "R", 95),
        submitted("H", "P", 10),
        submitted("H", "Q", 60),
        submitted("H", "R", 20),
    ]
    ideas = [IdeaInput("P"), IdeaInput("Q"), IdeaInput("R")]
    plain = compute(criteria=[PERCENT], ideas=ideas, assignments=assignments)
    # Means: P 55, Q 75, R 57.5.
    assert ranking(plain) == ["Q", "R", "P"]
    assert [r.aggregate for r in plain.ideas] == pytest.approx([75, 57.5, 55])

    normalised = compute(criteria=[PERCENT], ideas=ideas, assignments=assignments, normalise=True)
    # L: mean 95, sd sqrt(50/3) = 4.082483 → z P +1.224745, Q -1.224745, R 0.
    # H: mean 30, sd sqrt(1400/3) = 21.602469 → z P -0.925820, Q +1.388730, R -0.462910.
    # Means of the z-scores: P 0.149463, Q 0.081993, R -0.231455.
    assert normalised.method == ZSCORE
    assert ranking(normalised) == ["P", "Q", "R"]
    assert [r.aggregate for r in normalised.ideas] == pytest.approx(
        [0.149463, 0.081993, -0.231455], abs=1e-6
    )
    assert normalised.idea("P").juror_z["L"] == pytest.approx(1.224745, abs=1e-6)
    assert normalised.idea("Q").juror_z["H"] == pytest.approx(1.388730, abs=1e-6)
    # The plain mean is still there to read.
    assert normalised.idea("Q").mean == pytest.approx(75)


def test_a_juror_whose_scores_are_all_equal_weighs_nothing_once_normalised():
    result = compute(
        criteria=[PERCENT],
        ideas=[IdeaInput("P"), IdeaInput("Q")],
        assignments=[
            submitted("flat", "P", 70),
            submitted("flat", "Q", 70),
            submitted("y", "P", 20),
            submitted("y", "Q", 80),
        ],
        normalise=True,
    )
    assert result.idea("P").juror_z["flat"] == 0
    # y: mean 50, sd 30 → P -1, Q +1; with flat's zeros: P -0.5, Q +0.5.
    assert [r.aggregate for r in result.ideas] == pytest.approx([0.5, -0.5])
    assert ranking(result) == ["Q", "P"]


def test_a_conflict_of_interest_leaves_the_juror_out_of_that_idea_only():
    result = compute(
        criteria=[PERCENT],
        ideas=[IdeaInput("P"), IdeaInput("Q"), IdeaInput("R")],
        assignments=[
            submitted("x", "P", 90),
            AssignmentInput("y", "P", "recused", {PERCENT.key: 0}),  # scored, then recused
            submitted("z", "P", 60),  # P: (90 + 60) / 2 = 75, not (90 + 0 + 60) / 3 = 50
            submitted("x", "Q", 70),
            submitted("y", "Q", 80),
            submitted("z", "Q", 72),  # Q: 74
            submitted("x", "R", 100),
            AssignmentInput("y", "R", "pending", {PERCENT.key: 0}),  # not submitted: left out
        ],
    )
    assert ranking(result) == ["R", "P", "Q"]
    assert result.idea("P").aggregate == pytest.approx(75)
    assert result.idea("P").recused == 1
    assert result.idea("P").counted == 2
    assert result.idea("R").aggregate == pytest.approx(100)
    assert result.idea("R").missing == 1
    assert result.juror("y").recused == 1
    assert result.juror("y").pending == 1
    assert result.juror("y").submitted == 1


def test_ties_go_to_round_votes_then_to_the_earlier_submission():
    ideas = [
        IdeaInput("few-votes", round_votes=5, submitted_at=MONDAY),
        IdeaInput("more-votes", round_votes=8, submitted_at=MONDAY + dt.timedelta(days=1)),
        IdeaInput("later", round_votes=3, submitted_at=MONDAY + dt.timedelta(days=2)),
        IdeaInput("earlier", round_votes=3, submitted_at=MONDAY - dt.timedelta(days=1)),
    ]
    result = compute(
        criteria=[PERCENT],
        ideas=ideas,
        assignments=[
            submitted("x", "few-votes", 60),
            submitted("x", "more-votes", 60),
            submitted("x", "later", 50),
            submitted("x", "earlier", 50),
        ],
    )
    assert ranking(result) == ["more-votes", "few-votes", "earlier", "later"]


def test_floating_point_noise_is_still_a_tie():
    # On 1-10, 4 is 33.333… and 7 is 66.666…: their mean is 50.00000000000001
    # in floating point; 1 and 10 make exactly 50. A tie: votes decide.
    result = compute(
        criteria=[ONE_TO_TEN],
        ideas=[IdeaInput("noisy", round_votes=1), IdeaInput("exact", round_votes=2)],
        assignments=[
            submitted("x", "noisy", 4, criteria=[ONE_TO_TEN]),
            submitted("y", "noisy", 7, criteria=[ONE_TO_TEN]),
            submitted("x", "exact", 1, criteria=[ONE_TO_TEN]),
            submitted("y", "exact", 10, criteria=[ONE_TO_TEN]),
        ],
    )
    assert ranking(result) == ["exact", "noisy"]


def test_spread_and_outlier_jurors():
    result = compute(
        criteria=[PERCENT],
        ideas=[IdeaInput("P"), IdeaInput("Q")],
        assignments=[
            submitted("x", "P", 80),
            submitted("y", "P", 70),
            submitted("z", "P", 10),
            submitted("x", "Q", 60),
            submitted("y", "Q", 70),
            submitted("z", "Q", 0),
        ],
    )
    # P: mean 53.33, squared deviations 711.1 + 277.8 + 1877.8 → sd sqrt(955.56) = 30.91.
    assert result.idea("P").spread == pytest.approx(30.912, abs=1e-3)
    assert (result.idea("P").low, result.idea("P").high) == (10, 80)
    # Medians: P 70, Q 60. Distances: x (10 + 0) / 2 = 5, y (0 + 10) / 2 = 5,
    # z (60 + 60) / 2 = 60: only z is far from the others.
    assert result.juror("x").deviation == pytest.approx(5)
    assert result.juror("z").deviation == pytest.approx(60)
    assert [j.key for j in result.jurors if j.outlier] == ["z"]


def test_ideas_nobody_scored_come_last_and_are_never_proposed():
    result = compute(
        criteria=[PERCENT],
        ideas=[
            IdeaInput("unscored", round_votes=100),
            IdeaInput("hidden-since", eligible=False),
            IdeaInput("low"),
            IdeaInput("high"),
        ],
        assignments=[
            submitted("x", "hidden-since", 99),
            submitted("x", "low", 10),
            submitted("x", "high", 20),
            AssignmentInput("x", "unscored", "recused", {}),
        ],
        winners=2,
    )
    assert ranking(result) == ["hidden-since", "high", "low", "unscored"]
    # No longer published: ranked, but never proposed.
    assert result.proposed == ["high", "low"]
    assert result.idea("unscored").aggregate is None
    assert not result.idea("unscored").scored


def test_the_rules_are_written_out():
    text = " ".join(rules_text())
    assert "z-score" in text
    assert "20 points" in text
    assert "votes in the round" in text
    assert "submitted earlier" in text
