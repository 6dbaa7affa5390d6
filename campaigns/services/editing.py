"""Creating, updating and duplicating a challenge."""

import zoneinfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns.models import Campaign, Criterion, Prize, Round
from campaigns.services.common import SCHEDULE_FIELDS, CampaignError, _Errors, _user
from campaigns.services.rounds import _rounds_create, _rounds_reschedule, _shift_days
from campaigns.services.validation import (
    _audit_data,
    _check_published_change,
    _cover,
    _criteria_clean,
    _criteria_write,
    _current_values,
    _normalise,
    _prizes_clean,
    _prizes_write,
    _rounds_allowance_update,
    _unique_slug,
    _validate,
    campaign_defaults,
)
from tenants.models import Tenant

# --- Challenges --------------------------------------------------------------------------


def campaign_create(
    *,
    tenant: Tenant,
    actor,
    title: str,
    prizes: list[dict] | None = None,
    criteria: list[dict] | None = None,
    **settings,
) -> Campaign:
    """A new draft. Missing settings take the defaults (four weekly rounds from
    next Monday); the address is made from the title unless given. `prizes`
    and `criteria` are as for `campaign_update`."""
    errors = _Errors()
    cover_upload = settings.pop("cover", None)
    changes = _normalise({"title": title, **settings})
    values = {**campaign_defaults(tenant), **changes}
    if not values["slug"]:
        values["slug"] = _unique_slug(tenant, values["title"])
    _validate(values, tenant=tenant, campaign=None, errors=errors)
    new_prizes = _prizes_clean(prizes, tenant=tenant, cadence=values["cadence"], errors=errors)
    new_criteria = _criteria_clean(criteria, tenant=tenant, errors=errors)
    cover = _cover(cover_upload, errors)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            campaign = Campaign(tenant=tenant, created_by=_user(actor), **values)
            if cover is not None:
                campaign.cover.save(cover.name, cover, save=False)
            campaign.save()
            _rounds_create(campaign)
            _prizes_write(campaign, new_prizes)
            _criteria_write(campaign, new_criteria)
            audit_record(
                actor=actor, action="campaign.create", target=campaign, data={"slug": campaign.slug}
            )
    except IntegrityError as exc:  # a concurrent request took the slug first
        message = _("Another challenge of yours already uses this address.")
        raise CampaignError(message, fields={"slug": [message]}) from exc
    return campaign


def campaign_update(
    *,
    campaign: Campaign,
    actor,
    prizes: list[dict] | None = None,
    criteria: list[dict] | None = None,
    remove_cover: bool = False,
    **changes,
) -> Campaign:
    """Change a challenge's settings, and optionally replace its prizes and its
    jury rubric, all or nothing.

    While it is a draft anything goes and the rounds are derived again. Once
    published its address and cadence are fixed, its start moves only while it
    has not started (and never into the past), its end only later; a change of
    terms makes a new terms version; a change of the votes per person applies
    from the next round (the running round keeps its own, `Round.votes_per_round`).
    A finished challenge no longer changes.

    prizes:   [{"round_kind": "weekly"|"grand", "amount": Decimal|str,
                "currency": "EUR", "split_rule": "author", "rank": 1, "label": ""}]
    criteria: [{"name", "description", "weight" (%, adding up to 100),
                "scale_min", "scale_max"}]
    """
    errors = _Errors()
    cover_upload = changes.pop("cover", None)
    changes = _normalise(changes)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("tenant").get(pk=campaign.pk)
        if campaign.status in (Campaign.Status.CLOSED, Campaign.Status.ARCHIVED):
            raise CampaignError(_("This challenge is over: it cannot change."), code="closed")
        current = _current_values(campaign)
        changed = {k: v for k, v in changes.items() if current.get(k) != v}
        values = {**current, **changed}
        if campaign.is_published:
            _check_published_change(campaign, changed, errors)
        _validate(values, tenant=campaign.tenant, campaign=campaign, errors=errors)
        new_prizes = _prizes_clean(
            prizes, tenant=campaign.tenant, cadence=values["cadence"], errors=errors
        )
        new_criteria = _criteria_clean(criteria, tenant=campaign.tenant, errors=errors)
        if (
            new_prizes is None
            and values["cadence"] == Campaign.Cadence.SINGLE
            and campaign.prizes.filter(round_kind=Round.Kind.WEEKLY).exists()
        ):
            errors.add(
                "cadence",
                _(
                    "A challenge with a single round has the grand prize only: "
                    "remove the round prize first."
                ),
            )
        cover = _cover(cover_upload, errors)
        errors.raise_if_any()

        touched = sorted(changed)
        if cover is not None or (remove_cover and campaign.cover):
            touched.append("cover")
        if campaign.is_published and "terms_text" in changed:
            values["terms_version"] = campaign.terms_version + 1
        for name, value in values.items():
            setattr(campaign, name, value)
        if cover is not None:
            campaign.cover.save(cover.name, cover, save=False)
        elif remove_cover:
            campaign.cover = ""
        if touched:
            campaign.save()
        if SCHEDULE_FIELDS & set(changed):
            _rounds_reschedule(campaign)
        if "votes_per_round" in changed:
            _rounds_allowance_update(campaign)
        if new_prizes is not None:
            _prizes_write(campaign, new_prizes)
            touched.append("prizes")
        if new_criteria is not None:
            _criteria_write(campaign, new_criteria)
            touched.append("criteria")
        if touched:
            audit_record(
                actor=actor,
                action="campaign.update",
                target=campaign,
                data=_audit_data(campaign, touched, new_prizes, new_criteria),
            )
    return campaign


# What a duplicated challenge's prizes keep of the original's.
_PRIZE_COPIED = ("round_kind", "rank", "label", "amount", "currency", "split_rule")


def campaign_duplicate(*, campaign: Campaign, actor) -> Campaign:
    """A new draft with the same settings, prizes and rubric, moved forward by
    whole weeks (same weekday and time) so that it starts in the future."""
    tenant = campaign.tenant
    values = _current_values(campaign)
    tz = zoneinfo.ZoneInfo(tenant.time_zone)
    now = timezone.now()
    weeks = 0
    starts_at = campaign.starts_at
    while starts_at <= now:
        weeks += 1
        starts_at = _shift_days(campaign.starts_at, tz, 7 * weeks)
    values["starts_at"] = starts_at
    values["ends_at"] = _shift_days(campaign.ends_at, tz, 7 * weeks)
    values["title"] = (_("%(title)s (copy)") % {"title": campaign.title})[:120]
    values["slug"] = _unique_slug(tenant, campaign.slug)
    with transaction.atomic():
        copy = Campaign(tenant=tenant, created_by=_user(actor), **values)
        copy.cover = campaign.cover.name if campaign.cover else ""
        copy.terms_version = 1
        copy.save()
        _rounds_create(copy)
        Prize.objects.bulk_create(
            Prize(tenant=tenant, campaign=copy, **{f: getattr(p, f) for f in _PRIZE_COPIED})
            for p in campaign.prizes.all()
        )
        Criterion.objects.bulk_create(
            Criterion(tenant=tenant, campaign=copy, position=c.position, **c.rubric())
            for c in campaign.criteria.all()
        )
        audit_record(
            actor=actor,
            action="campaign.duplicate",
            target=copy,
            data={"from": str(campaign.public_id)},
        )
    return copy
