"""What the console's review step says about the jury before a challenge is
published (registered in campaigns.extensions by JuriesConfig.ready)."""

from django.urls import reverse
from django.utils.translation import ngettext

from campaigns.extensions import ReadinessWarning
from juries import selectors


def jury_readiness(campaign) -> list[ReadinessWarning]:
    """The jurors still to seat: publishing is allowed, but the first round
    closing with an empty jury leaves its shortlist unjudged."""
    seated = selectors.seated_count(campaign)
    missing = campaign.jury_size - seated
    if missing <= 0:
        return []
    message = ngettext(
        "%(seated)s of %(size)s jurors seated: seat %(missing)s more juror before the "
        "first round closes.",
        "%(seated)s of %(size)s jurors seated: seat %(missing)s more jurors before the "
        "first round closes.",
        missing,
    ) % {"seated": seated, "size": campaign.jury_size, "missing": missing}
    return [
        ReadinessWarning(
            message=message, url=reverse("console:jury", kwargs={"slug": campaign.slug})
        )
    ]
