from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self):
        from accounts import extensions as profile_links
        from accounts import personal_data
        from campaigns import extensions as challenge_pages
        from campaigns.round_cycle import register_round_hook
        from ideas import extensions as idea_pages
        from rewards import announce, own_data, permissions, selectors  # noqa: F401 - named rules
        from rewards.events import register_events
        from voting import extensions as voting_hooks

        register_events()  # the notification events of prizes and payouts
        from rewards import metrics

        metrics.register()  # payouts on the operators' metrics page
        # Winners (with their shares) and the most active contributors on the
        # challenge page and under each past challenge of the home page.
        challenge_pages.register_section("winners", "rewards/sections/challenge_winners.html")
        # The prize an idea won, and how it is shared, on the idea's page.
        idea_pages.register_section("detail_actions", "rewards/sections/idea_award.html")
        # Rounds covering "every idea not awarded yet", and the grand round when
        # round winners may not win it, leave awarded ideas out.
        voting_hooks.register_awarded_ideas(selectors.awarded_idea_ids)
        # A decided round is announced: awards and payouts, then people told.
        register_round_hook("announce", announce.announce_awards)
        register_round_hook("announce", announce.announce_tell)
        # A winner's way to their prizes and payment details, from their profile.
        profile_links.register_profile_link("rewards:my_payouts", _("My prizes"))
        # Above every other app: payouts are settled before ideas are removed.
        personal_data.register(
            "payouts", export=own_data.payouts_export, erase=own_data.payouts_erase, order=70
        )
