"""Every write of the campaigns app, one module per topic; import from here.

common.py       the error, limits and the cleaning every module shares
validation.py   a challenge's settings, prizes and rubric checked and written
editing.py      create, update and duplicate a challenge
publishing.py   publish, unpublish, close early, archive
rounds.py       a challenge's rounds laid out and rescheduled
invitations.py  invitation links to a challenge
brand.py        the brand's look and its domains
"""

from campaigns.services.brand import (
    brand_domain_add,
    brand_domain_remove,
    brand_domain_set_primary,
    brand_update,
)
from campaigns.services.common import (
    DESCRIPTION_TAGS,
    DOMAIN,
    LOCKED_WHEN_PUBLISHED,
    MAX_CHALLENGE_DAYS,
    MAX_CRITERIA,
    MAX_PRIZE,
    MAX_THEMES,
    RANGES,
    SCHEDULE_FIELDS,
    SETTINGS,
    SLUG,
    CampaignError,
    sanitise_description,
)
from campaigns.services.editing import campaign_create, campaign_duplicate, campaign_update
from campaigns.services.invitations import invitation_create, invitation_revoke, invitation_use
from campaigns.services.publishing import (
    campaign_archive,
    campaign_close,
    campaign_publish,
    campaign_unpublish,
    publish_problems,
)
from campaigns.services.rounds import campaign_advance, round_event_data, round_transition
from campaigns.services.validation import campaign_defaults

__all__ = [
    "DESCRIPTION_TAGS",
    "DOMAIN",
    "LOCKED_WHEN_PUBLISHED",
    "MAX_CHALLENGE_DAYS",
    "MAX_CRITERIA",
    "MAX_PRIZE",
    "MAX_THEMES",
    "RANGES",
    "SCHEDULE_FIELDS",
    "SETTINGS",
    "SLUG",
    "CampaignError",
    "brand_domain_add",
    "brand_domain_remove",
    "brand_domain_set_primary",
    "brand_update",
    "campaign_advance",
    "campaign_archive",
    "campaign_close",
    "campaign_create",
    "campaign_defaults",
    "campaign_duplicate",
    "campaign_publish",
    "campaign_unpublish",
    "campaign_update",
    "invitation_create",
    "invitation_revoke",
    "invitation_use",
    "publish_problems",
    "round_event_data",
    "round_transition",
    "sanitise_description",
]
