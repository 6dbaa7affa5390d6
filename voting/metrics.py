"""Voting's business figures on the operators' metrics page (core/metrics.py)."""

from core.metrics import register_reading, rows_by


def register():
    from voting.models import Vote

    register_reading(
        "votes",
        help="Votes standing, by status (counted, quarantined, void); a withdrawn vote is gone.",
        labels=("status",),
        read=rows_by(Vote, "status"),
    )
