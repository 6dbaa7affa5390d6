"""The notification event of insights, registered from InsightsConfig.ready();
its templates live in insights/templates/notifications/events/ and
insights/templates/insights/email/."""

from django.utils.translation import gettext_lazy

from notifications.events import Event, register

EXAMPLE = {
    "tenant_name": "ING Direct",
    "week_start": "2026-11-23",
    "week_end": "2026-11-29",
    "ideas": 12,
    "votes": 340,
    "comments": 25,
    "participants": 48,
    "top_ideas": [
        {
            "title": "Redondea tus compras",
            "challenge": "Genios del Ahorro",
            "votes": 41,
            "url": "/ideas/00000000-0000-0000-0000-000000000000/",
        }
    ],
    "jury_picks": [
        {
            "challenge": "Genios del Ahorro",
            "round": 1,
            "grand": False,
            "weekly": True,
            "ideas": ["Hucha"],
        }
    ],
    "queue": {"ideas": 3, "comments": 1, "votes": 0},
    "url": "/console/",
}


def register_events() -> None:
    register(
        Event(
            "insights.weekly_report",
            gettext_lazy("The brand's weekly report (for its team)"),
            required=("week_start", "week_end", "ideas", "votes", "comments", "participants"),
            example=EXAMPLE,
            action_label=gettext_lazy("Open the console"),
            html_template="insights/email/weekly_report.html",
        )
    )
