from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Challenges")

    def ready(self):
        from campaigns import permissions  # noqa: F401 - registers the named rules
        from campaigns.views import embed
        from integrations import embeds

        # Pasted challenge links unfold in CMSs; the console offers them to embed.
        embeds.register_oembed("campaigns:detail", embed.oembed_challenge)
        embeds.register_embeddables(embed.embeddable_challenges)
