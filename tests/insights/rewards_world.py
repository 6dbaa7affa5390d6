"""The challenge, jurors, ideas, votes and winners of the rewards and jury tests
(made through the services), for the dashboard's tests: a module imports them
all with `from tests.insights.rewards_world import *`, and they stand in for
this folder's conftest fixtures of the same name (`genios`)."""

from tests.juries.conftest import all_scored, first_round, review, score, scored_round
from tests.rewards.conftest import (
    advance,
    announced,
    approved_payouts,
    brand_account,
    chair,
    client_for,
    decide,
    elena,
    genios,
    jorge,
    jury,
    make_author,
    make_challenge,
    make_idea,
    make_person,
    pay_details,
    seat_jury,
    vote,
)

__all__ = [
    "advance", "all_scored", "announced", "approved_payouts", "brand_account", "chair",
    "client_for", "decide", "elena", "first_round", "genios", "jorge", "jury", "make_author",
    "make_challenge", "make_idea", "make_person", "pay_details", "review", "score",
    "scored_round", "seat_jury", "vote",
]  # fmt: skip
