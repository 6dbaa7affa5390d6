"""Ideas' business figures on the operators' metrics page (core/metrics.py)."""

from core.metrics import register_reading, rows_by


def register():
    from ideas.models import Comment, Idea

    register_reading(
        "ideas",
        help="Ideas submitted, by state (published, held, processing, hidden…).",
        labels=("state",),
        read=rows_by(Idea, "state"),
    )
    register_reading(
        "comments",
        help="Comments posted, by state.",
        labels=("state",),
        read=rows_by(Comment, "state"),
    )
