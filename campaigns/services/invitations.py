"""Invitation links to a challenge open by invitation."""

import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns.models import Campaign, Invitation
from campaigns.services.common import CampaignError, _user

# --- Invitation links -------------------------------------------------------------------


def invitation_create(*, campaign: Campaign, actor, label: str = "") -> Invitation:
    campaign = Campaign.objects.select_related("tenant").get(pk=campaign.pk)
    if campaign.audience != Campaign.Audience.INVITE_ONLY:
        raise CampaignError(
            _("Invitation links are for invite-only challenges."), code="not_invite_only"
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            tenant=campaign.tenant,
            campaign=campaign,
            token=secrets.token_urlsafe(24),
            label=label.strip()[:120],
            created_by=_user(actor),
        )
        audit_record(
            actor=actor,
            action="campaign.invitation_create",
            target=campaign,
            data={"invitation": str(invitation.public_id), "label": invitation.label},
        )
    return invitation


def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="campaign.invitation_revoke",
                target=invitation.campaign,
                data={"invitation": str(invitation.public_id)},
            )
    return invitation


def invitation_use(*, campaign: Campaign, token: str) -> Invitation | None:
    """The active invitation of `campaign` with this token (counted), or None."""
    invitation = Invitation.objects.filter(
        campaign=campaign, token=token, revoked_at__isnull=True
    ).first()
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(uses=F("uses") + 1)
    return invitation
