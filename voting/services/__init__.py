"""Every write of the voting app, one module per topic; import from here.

common.py         the errors, the vote's result, locks and small helpers
eligibility.py    who may vote for an idea now, and in which round
counters.py       the one place that writes an idea's vote counters
casting.py        casting and withdrawing a vote
review.py         the fraud review: votes accepted or voided, ideas disqualified
rankings.py       rankings frozen per round, corrected after review; the round counter
housekeeping.py   votes moved when ideas merge, erased with a person
"""

from voting.services.casting import vote_cast, vote_withdraw
from voting.services.common import REASON_MAX, RankingError, VoteError, VoteResult
from voting.services.eligibility import check_can_vote, is_own_idea, voting_round
from voting.services.housekeeping import votes_erase, votes_merge
from voting.services.rankings import ranking_freeze, round_counter_switch
from voting.services.review import (
    ACCEPT,
    DECISIONS,
    VOID,
    idea_disqualify,
    idea_requalify,
    votes_decide,
)

__all__ = [
    "ACCEPT",
    "DECISIONS",
    "REASON_MAX",
    "VOID",
    "RankingError",
    "VoteError",
    "VoteResult",
    "check_can_vote",
    "idea_disqualify",
    "idea_requalify",
    "is_own_idea",
    "ranking_freeze",
    "round_counter_switch",
    "vote_cast",
    "vote_withdraw",
    "votes_decide",
    "votes_erase",
    "votes_merge",
    "voting_round",
]
