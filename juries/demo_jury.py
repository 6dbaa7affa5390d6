"""The demo's jury for "Genios del Ahorro", through the services (called by
`seed_demo`): the three demo jurors, juror1 in the chair. Idempotent: a juror
already seated keeps their seat and role."""

from django.db import transaction
from django_scopes import scope

from accounts.models import User
from campaigns.demo_challenges import GENIOS_SLUG
from campaigns.models import Campaign
from juries import services
from juries.models import JuryMember

JURORS = [
    ("juror1@ing.localhost", JuryMember.Role.CHAIR),
    ("juror2@ing.localhost", JuryMember.Role.MEMBER),
    ("juror3@ing.localhost", JuryMember.Role.MEMBER),
]


def seed_jury(*, tenant, actor) -> int:
    """Seat the demo jurors on Genios del Ahorro's jury; returns how many were added."""
    added = 0
    with scope(tenant=tenant), transaction.atomic():
        campaign = Campaign.objects.filter(tenant=tenant, slug=GENIOS_SLUG).first()
        if campaign is None:
            return 0
        jury = services.jury_ensure(campaign=campaign)
        seated = set(JuryMember.objects.filter(jury=jury).values_list("user__email", flat=True))
        for email, role in JURORS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None or email in seated:
                continue
            services.jury_member_add(campaign=campaign, user=user, actor=actor, role=role)
            added += 1
    return added
