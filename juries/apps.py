from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries")

    def ready(self):
        from accounts import personal_data
        from juries import own_data, permissions  # noqa: F401 - registers the named rules
        from juries.events import register_events
        from juries.selectors import decided_winner_ids
        from voting.extensions import register_awarded_ideas

        register_events()  # the jury's notification events
        personal_data.register(
            "jury", export=own_data.jury_export, erase=own_data.jury_erase, order=60
        )
        # Ideas the jury chose as a round's winners count as awarded for the
        # rankings (rounds over "every idea not awarded yet", the grand round
        # when round winners may not win it), from the decision on.
        register_awarded_ideas(decided_winner_ids)

        from campaigns.extensions import register_readiness_check
        from juries.readiness import jury_readiness

        # The review step lists the jurors still to seat before publishing.
        register_readiness_check("jury", jury_readiness)

        from campaigns.round_cycle import register_round_hook
        from juries import round_hooks

        # The jury's part of a round's life (juries/round_hooks.py).
        for point in ("review_start", "decision_due", "decision_ready", "deciding"):
            register_round_hook(point, getattr(round_hooks, point))
