"""The dashboard's tests reuse the rewards tests' challenge, jurors, ideas,
votes and winners (all made through the services); see tests/rewards/conftest.py."""
# ruff: noqa: F401

from tests.juries.conftest import all_scored, review, score, scored_round
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
