"""Rewards' business figures on the operators' metrics page (core/metrics.py)."""

from core.metrics import register_reading, rows_by


def register():
    from rewards.models import Payout

    register_reading(
        "payouts",
        help="Payouts, by state and currency.",
        labels=("state", "currency"),
        read=rows_by(Payout, "state", "currency"),
    )
    register_reading(
        "payouts_amount",
        help="The amount of the payouts, by state and currency.",
        labels=("state", "currency"),
        read=rows_by(Payout, "state", "currency", total="amount"),
    )
