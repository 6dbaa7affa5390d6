"""The arithmetic of a jury's aggregate, on plain values (no database).

The rules, as the jury page states them (`RULES` below, translated):

1. Each score is put on a 0-100 scale: (score - lowest) / (highest - lowest) x 100.
2. A juror's score for an idea is the weighted mean of those, with the
   rubric's weights.
3. Only submitted assignments count. A juror who declared a conflict of
   interest on an idea (recused) is left out of that idea's aggregate; an
   assignment not submitted by the time the chair decides is left out too.
4. An idea's aggregate is the mean of its jurors' scores. With normalisation
   on, each juror's scores are first turned into z-scores within the round
   ((score - the juror's mean) / the juror's standard deviation, 0 for a juror
   whose scores are all equal), so a lenient or a harsh juror weighs like the
   others; the aggregate is then the mean of the z-scores.
5. Agreement: the spread of an idea is the standard deviation of its jurors'
   scores (0-100). A juror is flagged as an outlier when their scores are, on
   average over the ideas they scored with others, more than OUTLIER_POINTS
   points away from the idea's median score (the median resists the outlier
   it looks for; with two jurors it is their mean, and both are flagged).
6. Ranking: highest aggregate first; ties go to the idea with more votes in the
   round, then to the idea submitted earlier. Ideas nobody scored come last.
7. The proposal: the first ideas of the ranking that are still published, as
   many as the round has prizes.

Numbers are floats; two aggregates closer than 1e-9 are equal (a tie), so the
order never depends on rounding noise.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MEAN = "mean"
ZSCORE = "zscore"
OUTLIER_POINTS = 20.0
TIE_DIGITS = 9

RULES = [
    _(
        "Each score is put on a 0-100 scale: (score - lowest) / (highest - lowest) x 100. "
        "A juror's score for an idea is the weighted mean of those, with the rubric's weights."
    ),
    _(
        "Only submitted scores count. A juror who declared a conflict of interest on an idea "
        "is left out of that idea's aggregate; so is a juror who has not submitted when the "
        "chair decides."
    ),
    _("An idea's aggregate is the mean of its jurors' scores."),
    _(
        "With normalisation on, each juror's scores are first turned into z-scores within the "
        "round (the juror's score minus their mean, divided by their standard deviation; 0 "
        "when all their scores are equal), so that lenient and harsh jurors weigh the same. "
        "The aggregate is then the mean of the z-scores."
    ),
    _(
        "Agreement: an idea's spread is the standard deviation of its jurors' scores (0-100). "
        "A juror is flagged when their scores are on average more than %(points)s points away "
        "from the median score of the ideas they scored."
    ),
    _(
        "Ranking: highest aggregate first. Ties go to the idea with more votes in the round, "
        "then to the idea submitted earlier. Ideas nobody scored come last."
    ),
    _(
        "The chair confirms the first ideas of the ranking (as many as the round has prizes), "
        "or chooses others and writes why. The decision, the scores and the aggregate are "
        "then frozen."
    ),
]


def rules_text() -> list[str]:
    """The rules in the active language."""
    # A mapping leaves the rules without a placeholder as they are.
    return [str(rule) % {"points": int(OUTLIER_POINTS)} for rule in RULES]


@dataclass(frozen=True)
class CriterionInput:
    key: Hashable
    weight: int
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class IdeaInput:
    key: Hashable
    round_votes: int = 0
    submitted_at: dt.datetime | None = None
    order: int = 0  # the last, invisible tie-break: a stable id
    eligible: bool = True  # still published: may be proposed


@dataclass(frozen=True)
class AssignmentInput:
    juror: Hashable
    idea: Hashable
    state: str  # "pending", "submitted" or "recused"
    values: dict = field(default_factory=dict)  # criterion key → score


@dataclass
class IdeaResult:
    key: Hashable
    rank: int = 0
    aggregate: float | None = None  # the ranking's value (mean or mean z-score)
    mean: float | None = None  # mean of the jurors' 0-100 scores, whatever the method
    spread: float | None = None
    low: float | None = None
    high: float | None = None
    counted: int = 0
    recused: int = 0
    missing: int = 0
    eligible: bool = True
    round_votes: int = 0
    juror_scores: dict = field(default_factory=dict)  # juror → 0-100 score
    juror_z: dict = field(default_factory=dict)  # juror → z-score (normalised only)

    @property
    def scored(self) -> bool:
        return self.counted > 0


@dataclass
class JurorResult:
    key: Hashable
    submitted: int = 0
    pending: int = 0
    recused: int = 0
    mean: float | None = None
    deviation: float | None = None  # mean distance to the ideas' median scores
    outlier: bool = False


@dataclass
class Aggregate:
    method: str
    ideas: list[IdeaResult]
    jurors: list[JurorResult]
    proposed: list = field(default_factory=list)

    def idea(self, key) -> IdeaResult | None:
        return next((row for row in self.ideas if row.key == key), None)

    def juror(self, key) -> JurorResult | None:
        return next((row for row in self.jurors if row.key == key), None)


def weighted_score(criteria: Iterable[CriterionInput], values: dict) -> float:
    """A juror's 0-100 score from their values on every criterion (rules 1-2).

    Raises KeyError when a criterion has no value: a submitted assignment always
    has them all."""
    total = weighted = 0.0
    for criterion in criteria:
        value = values[criterion.key]
        span = criterion.scale_max - criterion.scale_min
        weighted += criterion.weight * (value - criterion.scale_min) / span * 100
        total += criterion.weight
    return weighted / total


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _sd(values: list[float]) -> float:
    """Population standard deviation (the jurors are the whole population)."""
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def compute(
    *,
    criteria: list[CriterionInput],
    ideas: list[IdeaInput],
    assignments: list[AssignmentInput],
    normalise: bool = False,
    winners: int = 1,
    outlier_points: float = OUTLIER_POINTS,
) -> Aggregate:
    """The aggregate of one round. See the module docstring for the rules."""
    method = ZSCORE if normalise else MEAN
    results = {
        idea.key: IdeaResult(key=idea.key, eligible=idea.eligible, round_votes=idea.round_votes)
        for idea in ideas
    }
    jurors: dict = {}
    for assignment in assignments:
        juror = jurors.setdefault(assignment.juror, JurorResult(key=assignment.juror))
        result = results.get(assignment.idea)
        if result is None:
            continue
        if assignment.state == "submitted":
            score = weighted_score(criteria, assignment.values)
            result.juror_scores[assignment.juror] = score
            juror.submitted += 1
        elif assignment.state == "recused":
            result.recused += 1
            juror.recused += 1
        else:
            result.missing += 1
            juror.pending += 1

    # Each juror's mean and standard deviation over the ideas they scored (rule 4).
    by_juror: dict = {}
    for result in results.values():
        for juror_key, score in result.juror_scores.items():
            by_juror.setdefault(juror_key, []).append(score)
    stats = {key: (_mean(scores), _sd(scores)) for key, scores in by_juror.items()}
    for key, (mean, _spread) in stats.items():
        jurors[key].mean = mean

    for result in results.values():
        scores = list(result.juror_scores.values())
        result.counted = len(scores)
        if not scores:
            continue
        result.mean = _mean(scores)
        result.spread = _sd(scores)
        result.low, result.high = min(scores), max(scores)
        if normalise:
            for juror_key, score in result.juror_scores.items():
                mean, spread = stats[juror_key]
                result.juror_z[juror_key] = (score - mean) / spread if spread > 0 else 0.0
            result.aggregate = _mean(list(result.juror_z.values()))
        else:
            result.aggregate = result.mean

    _flag_outliers(results.values(), jurors, outlier_points)

    inputs = {idea.key: idea for idea in ideas}

    def sort_key(result: IdeaResult):
        idea = inputs[result.key]
        submitted = idea.submitted_at.timestamp() if idea.submitted_at else math.inf
        value = round(result.aggregate, TIE_DIGITS) if result.scored else -math.inf
        return (not result.scored, -value, -idea.round_votes, submitted, idea.order)

    ordered = sorted(results.values(), key=sort_key)
    for position, result in enumerate(ordered, start=1):
        result.rank = position
    proposed = [r.key for r in ordered if r.scored and r.eligible][: max(winners, 0)]
    juror_rows = sorted(jurors.values(), key=lambda j: str(j.key))
    return Aggregate(method=method, ideas=ordered, jurors=juror_rows, proposed=proposed)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _flag_outliers(results, jurors: dict, outlier_points: float) -> None:
    """Rule 5: a juror far from the ideas' median scores, on average."""
    distances: dict = {}
    for result in results:
        if len(result.juror_scores) < 2:
            continue
        median = _median(list(result.juror_scores.values()))
        for juror_key, score in result.juror_scores.items():
            distances.setdefault(juror_key, []).append(abs(score - median))
    for juror_key, values in distances.items():
        juror = jurors[juror_key]
        juror.deviation = _mean(values)
        juror.outlier = juror.deviation > outlier_points
