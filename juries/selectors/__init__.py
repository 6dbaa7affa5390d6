"""The reads of the juries app used by several views, one module per topic; import from here.

access.py         a jury, its members, and what a juror may open
dashboard.py      a juror's dashboard and progress
aggregate.py      a round's aggregate of scores
decisions.py      shortlists, decisions and what can be decided
"""

from juries.selectors.access import (
    assignment_for_juror,
    entries_for_decision,
    is_uuid,
    jury_of,
    members_of,
    on_the_team,
    round_for_member,
    seated_count,
    seats_of,
)
from juries.selectors.aggregate import (
    RoundAggregate,
    prize_places,
    round_aggregate,
    round_scores_rows,
)
from juries.selectors.dashboard import (
    DashboardRound,
    Place,
    Progress,
    assignments_of,
    criteria_of,
    dashboard,
    has_pending,
    may_see_scores,
    next_pending,
    others_scores,
    place_of,
    progress_by_juror,
    progress_of_round,
    progress_rows,
    scores_of,
)
from juries.selectors.decisions import (
    deadline_passed,
    decidable,
    decided_winner_ids,
    decision_of,
    decisions_between,
    decisions_of,
    entries_of,
    shortlists_of,
    wildcard_candidates,
)

__all__ = [
    "DashboardRound",
    "Place",
    "Progress",
    "RoundAggregate",
    "assignment_for_juror",
    "assignments_of",
    "criteria_of",
    "dashboard",
    "deadline_passed",
    "decidable",
    "decided_winner_ids",
    "decision_of",
    "decisions_between",
    "decisions_of",
    "entries_for_decision",
    "entries_of",
    "has_pending",
    "is_uuid",
    "jury_of",
    "may_see_scores",
    "members_of",
    "next_pending",
    "on_the_team",
    "others_scores",
    "place_of",
    "prize_places",
    "progress_by_juror",
    "progress_of_round",
    "progress_rows",
    "round_aggregate",
    "round_for_member",
    "round_scores_rows",
    "scores_of",
    "seated_count",
    "seats_of",
    "shortlists_of",
    "wildcard_candidates",
]
