from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        from accounts import extensions as profile_links
        from accounts import personal_data
        from campaigns import extensions as challenge_pages
        from ideas import metrics, own_data, permissions  # noqa: F401 - named rules
        from ideas.events import register_events
        from ideas.selectors import idea_counts_by_campaign
        from ideas.sharing import oembed_idea
        from integrations import embeds

        register_events()
        metrics.register()  # ideas and comments on the operators' metrics page
        from accounts.intents import register_intent
        from ideas.views.public import follow_intent

        # "Follow" clicked while signed out: followed after sign-in and the terms.
        register_intent("follow", follow_intent)
        profile_links.register_profile_link("ideas:mine", _("My ideas"))
        # The challenge page's gallery (its "Share your idea" button leads there).
        challenge_pages.register_section("ideas", "ideas/sections/challenge_ideas.html")
        # The hero's button opens the form (through sign-in and the terms if need be).
        challenge_pages.register_section("call_to_action", "ideas/sections/call_to_action.html")
        challenge_pages.register_console_number("ideas", _("Ideas"), idea_counts_by_campaign)
        embeds.register_oembed("ideas:detail", oembed_idea)  # pasted links unfold in CMSs
        personal_data.register(
            "ideas", export=own_data.ideas_export, erase=own_data.ideas_erase, order=40
        )
        personal_data.register(
            "comments", export=own_data.comments_export, erase=own_data.comments_erase, order=41
        )
