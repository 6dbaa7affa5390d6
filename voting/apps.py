from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def round_opened(round_, now):
    from voting.services import round_counter_switch

    round_counter_switch(campaign=round_.campaign, now=now)


def voting_closing(round_, now):
    from voting.services import ranking_freeze

    ranking_freeze(round=round_, now=now)


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from accounts import personal_data
        from ideas import extensions as idea_pages
        from voting import metrics, own_data, permissions, selectors, services  # noqa: F401

        metrics.register()  # votes on the operators' metrics page

        # The vote button under each card of the gallery and on an idea's page.
        idea_pages.register_section("card_actions", "voting/slots/vote.html")
        idea_pages.register_section("detail_actions", "voting/slots/vote.html")
        idea_pages.register_gallery_annotator(selectors.annotate_gallery)
        idea_pages.register_merge_handler(services.votes_merge)

        from accounts.intents import register_intent
        from voting.views.public import vote_intent

        # "Vote" clicked while signed out: cast after sign-in and the terms.
        register_intent("vote", vote_intent)

        from campaigns.round_cycle import register_round_hook

        # A round that opens takes the "votes this round" counters; one whose
        # voting is over has its ranking frozen before it closes.
        register_round_hook("opened", round_opened)
        register_round_hook("voting_closing", voting_closing)
        # Above ideas (40, 41): votes are withdrawn before ideas are removed.
        personal_data.register(
            "votes", export=own_data.votes_export, erase=own_data.votes_erase, order=50
        )
