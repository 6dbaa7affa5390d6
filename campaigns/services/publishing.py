"""Publishing a challenge, and taking it down: unpublish, close early, archive."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns import lifecycle
from campaigns.models import Campaign, Round
from campaigns.services.common import CampaignError, _Errors, _fail


def publish_problems(campaign: Campaign, now: dt.datetime | None = None) -> dict[str, list[str]]:
    """What stops a draft from being published, by field (empty when ready)."""
    now = now or timezone.now()
    errors = _Errors()
    if not campaign.pitch:
        errors.add("pitch", _("Write a short pitch: it is what people see first."))
    if not campaign.terms_text:
        errors.add("terms_text", _("Add the terms and conditions before publishing."))
    if campaign.ends_at <= now:
        errors.add("ends_at", _("The end is in the past: choose a later end."))
    else:
        first = min(campaign.rounds.all(), key=lambda r: r.index, default=None)
        if first is not None and first.ends_at <= now:
            errors.add(
                "starts_at", _("The first round would already be over: choose a later start.")
            )
    prizes = list(campaign.prizes.all())
    if campaign.cadence == Campaign.Cadence.SINGLE and any(
        p.round_kind == Round.Kind.WEEKLY for p in prizes
    ):
        errors.add("weekly_prize", _("A challenge with a single round has the grand prize only."))
    return dict(errors)


def campaign_publish(*, campaign: Campaign, actor) -> Campaign:
    """Draft → scheduled (or open, when its start has passed). Publishing twice
    changes nothing."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("tenant").get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            if campaign.status in lifecycle.PUBLISHED_STATUSES:
                return campaign
            raise CampaignError(_("Only a draft can be published."), code="not_draft")
        now = timezone.now()
        problems = publish_problems(campaign, now)
        if problems:
            _fail(problems)
        # Scheduled, or already open when the start has passed.
        campaign.status = Campaign.Status.SCHEDULED
        campaign.status = lifecycle.due_status(campaign, now)
        campaign.published_at = now
        campaign.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=actor, action="campaign.publish", target=campaign)
    # Rounds whose start has passed open now, through the round cycle like any other.
    from campaigns.round_cycle import round_advance

    for round_ in Round.objects.filter(
        campaign=campaign, state=Round.State.SCHEDULED, starts_at__lte=now
    ).order_by("index"):
        round_advance(round=round_, now=now)
    return campaign


def campaign_unpublish(*, campaign: Campaign, actor, reason: str = "") -> Campaign:
    """Back to draft, only before the start (nobody has taken part yet)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("tenant").get(pk=campaign.pk)
        if campaign.status == Campaign.Status.DRAFT:
            return campaign
        if campaign.status != Campaign.Status.SCHEDULED or lifecycle.has_started(campaign):
            raise CampaignError(
                _("This challenge has started: close it early instead."), code="started"
            )
        campaign.status = Campaign.Status.DRAFT
        campaign.published_at = None
        campaign.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=actor, action="campaign.unpublish", target=campaign, reason=reason)
    return campaign


def campaign_close(*, campaign: Campaign, actor, reason: str = "") -> Campaign:
    """Close an open challenge now: the running round and the grand round end
    now (the round cycle then judges them), later rounds are dropped."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("tenant").get(pk=campaign.pk)
        if campaign.status == Campaign.Status.CLOSED:
            return campaign
        now = timezone.now()
        if lifecycle.campaign_phase(campaign, now) != lifecycle.Phase.OPEN:
            raise CampaignError(_("Only an open challenge can be closed early."), code="not_open")
        end = max(now, campaign.starts_at + dt.timedelta(seconds=1))
        rounds = list(Round.objects.select_for_update().filter(campaign=campaign).order_by("index"))
        kept = 0
        for round_ in rounds:
            if round_.kind == Round.Kind.WEEKLY and round_.starts_at >= now:
                round_.delete()  # never started: nothing can be in it
                continue
            fields = []
            if round_.ends_at > end:
                round_.ends_at = round_.voting_ends_at = max(
                    end, round_.starts_at + dt.timedelta(seconds=1)
                )
                fields += ["ends_at", "voting_ends_at"]
            if round_.kind == Round.Kind.WEEKLY:
                kept += 1
            elif round_.index != kept + 1:
                round_.index = kept + 1  # the grand round stays right after the last one
                fields.append("index")
            if fields:
                round_.save(update_fields=fields)
        previous_end = campaign.ends_at
        campaign.ends_at = end
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_at = now
        campaign.save(update_fields=["ends_at", "status", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="campaign.close_early",
            target=campaign,
            reason=reason,
            data={"planned_end": previous_end.isoformat()},
        )
    return campaign


def campaign_archive(*, campaign: Campaign, actor, reason: str = "") -> Campaign:
    """A finished challenge leaves the public home page (its page stays reachable)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("tenant").get(pk=campaign.pk)
        if campaign.status == Campaign.Status.ARCHIVED:
            return campaign
        if lifecycle.campaign_phase(campaign) != lifecycle.Phase.CLOSED:
            raise CampaignError(_("Only a finished challenge can be archived."), code="not_closed")
        campaign.status = Campaign.Status.ARCHIVED
        campaign.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="campaign.archive", target=campaign, reason=reason)
    return campaign
