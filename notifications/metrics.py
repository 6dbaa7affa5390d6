"""E-mails on the operators' metrics page (core/metrics.py): sent, failed,
waiting."""

from core.metrics import register_reading, rows_by


def register():
    from notifications.models import EmailDelivery

    register_reading(
        "emails",
        help="E-mails the platform sends, by status (pending, sent, failed…).",
        labels=("status",),
        read=rows_by(EmailDelivery, "status"),
    )
