"""The notification events of prizes and payouts, registered from
RewardsConfig.ready(); their templates live in
rewards/templates/notifications/events/."""

from django.utils.translation import gettext_lazy

from notifications.events import Event, register

_IDEA = {"idea_title": "Redondea tus compras", "url": "/ideas/redondea/"}
_PAYOUT = {"amount": "500 EUR", "url": "/me/payouts/"}


def register_events() -> None:
    register(
        Event(
            "idea.won",
            gettext_lazy("My idea wins a prize"),
            required=("idea_title", "prize"),
            example={**_IDEA, "prize": "500 EUR"},
            action_label=gettext_lazy("Claim your prize"),
        )
    )
    register(
        Event(
            "round.results",
            gettext_lazy("Results of a round I follow"),
            required=("campaign_title", "round_name"),
            example={
                "campaign_title": "Genios del Ahorro",
                "round_name": "Semana 2",
                "url": "/c/1/",
            },
            action_label=gettext_lazy("See the winners"),
        )
    )
    register(
        Event(
            "payout.requested",
            gettext_lazy("A payout awaits approval"),
            transactional=True,
            required=("winner_name", "amount", "idea_title"),
            example={**_IDEA, "winner_name": "Ana G.", "amount": "500 EUR"},
            action_label=gettext_lazy("Review the payout"),
        )
    )
    # A winner's payout moving on: the same message but for its news.
    for name, label in [
        ("payout.approved", gettext_lazy("My payout is approved")),
        ("payout.paid", gettext_lazy("My payout is paid")),
    ]:
        register(
            Event(
                name,
                label,
                transactional=True,
                required=("amount",),
                example=_PAYOUT,
                action_label=gettext_lazy("See your payouts"),
            )
        )
    register(
        Event(
            "payout.failed",
            gettext_lazy("My payout failed"),
            transactional=True,
            required=("amount", "reason"),
            example={"amount": "500 EUR", "reason": "IBAN rejected", "url": "/me/payouts/"},
            action_label=gettext_lazy("Check your payment details"),
            # The bell says why, as the e-mail does.
            in_app_template="notifications/events/payout.failed/in_app.txt",
        )
    )
