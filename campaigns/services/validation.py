"""A challenge's settings, prizes and rubric: checked all at once, then written."""

import datetime as dt
import zoneinfo
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaigns import lifecycle
from campaigns.models import CURRENCY_CODES, Campaign, Criterion, Prize, Round
from campaigns.schedule import round_end
from campaigns.services.common import (
    DOMAIN,
    LOCKED_WHEN_PUBLISHED,
    MAX_CHALLENGE_DAYS,
    MAX_CRITERIA,
    MAX_PRIZE,
    MAX_THEMES,
    RANGES,
    SETTINGS,
    SLUG,
    CampaignError,
    _clean_list,
    _Errors,
    sanitise_description,
)
from core.images import ImageRejected, clean_image
from tenants.models import Tenant


def _slug_available(tenant: Tenant, slug: str, exclude_pk: int | None = None) -> bool:
    taken = Campaign.objects.filter(tenant=tenant, slug=slug)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    return not taken.exists()


def _unique_slug(tenant: Tenant, base: str) -> str:
    base = (slugify(base)[:50].strip("-") or "challenge").lower()
    slug, n = base, 2
    while not _slug_available(tenant, slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _round_days(values: dict) -> int | None:
    cadence = values.get("cadence")
    if cadence == Campaign.Cadence.WEEKLY:
        return 7
    if cadence == Campaign.Cadence.DAYS:
        return values.get("cadence_days")
    return None


# A flat list of independent checks, one per rule of a challenge's settings:
# splitting it would scatter the rules a reader compares side by side.
def _validate(values: dict, *, tenant: Tenant, campaign: Campaign | None, errors: _Errors):  # noqa: C901
    """Check a challenge's settings as a whole (after `values` were merged over
    the current ones). Adds to `errors`; writes nothing."""
    title = values["title"]
    if not title:
        errors.add("title", _("Give the challenge a title."))
    elif len(title) > 120:
        errors.add("title", _("Keep the title under 120 characters."))
    if len(values["pitch"]) > 240:
        errors.add("pitch", _("Keep the pitch under 240 characters."))

    slug = values["slug"]
    if not SLUG.match(slug) or len(slug) > 60:
        errors.add("slug", _("Use lower-case letters, digits and single hyphens."))
    elif not _slug_available(tenant, slug, campaign.pk if campaign else None):
        errors.add("slug", _("Another challenge of yours already uses this address."))

    if len(values["themes"]) > MAX_THEMES:
        errors.add("themes", _("Use at most %(n)s themes.") % {"n": MAX_THEMES})
    if any(len(theme) > 40 for theme in values["themes"]):
        errors.add("themes", _("Keep each theme under 40 characters."))

    if values["audience"] not in Campaign.Audience.values:
        errors.add("audience", _("Choose who can take part."))
    if not all(DOMAIN.match(d) for d in values["employee_email_domains"]):
        errors.add("employee_email_domains", _("Enter domains such as example.com."))

    if not (values["allow_text"] or values["allow_image"] or values["allow_video"]):
        errors.add("allow_text", _("Accept at least one kind of submission."))
    for name, (low, high) in RANGES.items():
        value = values[name]
        if value is None and name in ("votes_per_round", "cadence_days"):
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors.add(
                name, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )

    for name, enum in (
        ("moderation", Campaign.Moderation),
        ("voters", Campaign.Voters),
        ("round_covers", Campaign.RoundCovers),
        ("cadence", Campaign.Cadence),
    ):
        if values[name] not in enum.values:
            errors.add(name, _("Choose one of the options."))

    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        errors.add("starts_at", _("Enter the start date and time."))
        return
    if not isinstance(ends_at, dt.datetime) or timezone.is_naive(ends_at):
        errors.add("ends_at", _("Enter the end date and time."))
        return
    if ends_at <= starts_at:
        errors.add("ends_at", _("The end must come after the start."))
        return
    if ends_at - starts_at > dt.timedelta(days=MAX_CHALLENGE_DAYS):
        errors.add("ends_at", _("A challenge lasts at most one year."))
        return
    if values["cadence"] == Campaign.Cadence.DAYS and values["cadence_days"] is None:
        errors.add("cadence_days", _("Say how many days a round lasts."))
        return
    round_days = _round_days(values)
    if round_days and "cadence" not in errors and "cadence_days" not in errors:
        first_end = round_end(
            starts_at=starts_at, round_days=round_days, time_zone=tenant.time_zone
        )
        if first_end > ends_at:
            field = "cadence_days" if values["cadence"] == Campaign.Cadence.DAYS else "cadence"
            errors.add(
                field,
                _(
                    "A round cannot last longer than the challenge: shorten the rounds, "
                    "end the challenge later, or choose a single round."
                ),
            )


def _current_values(campaign: Campaign | None) -> dict:
    if campaign is None:
        return {}
    return {name: getattr(campaign, name) for name in SETTINGS}


def campaign_defaults(tenant: Tenant) -> dict:
    """A draft's settings before the brand chooses: a four-week challenge with
    weekly rounds, starting next Monday at midnight in the tenant's time zone."""
    tz = zoneinfo.ZoneInfo(tenant.time_zone)
    today = timezone.now().astimezone(tz).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    starts_at = dt.datetime.combine(monday, dt.time(0, 0), tzinfo=tz)
    ends_at = dt.datetime.combine(monday + dt.timedelta(days=28), dt.time(0, 0), tzinfo=tz)
    defaults = {name: Campaign._meta.get_field(name).get_default() for name in SETTINGS}
    defaults.update(
        title="",
        slug="",
        pitch="",
        description="",
        themes=[],
        employee_email_domains=[],
        jury_guidance="",
        terms_text="",
        starts_at=starts_at.astimezone(dt.UTC),
        ends_at=ends_at.astimezone(dt.UTC),
        cadence_days=None,
        votes_per_round=None,
    )
    return defaults


def _normalise(changes: dict) -> dict:
    """Type-tidy the incoming values (strings stripped, lists split)."""
    unknown = set(changes) - set(SETTINGS) - {"cover"}
    if unknown:
        raise CampaignError(
            _("Unknown setting: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="unknown_setting",
        )
    out = dict(changes)
    for name in ("title", "pitch", "slug", "jury_guidance", "terms_text"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if "slug" in out:
        out["slug"] = out["slug"].lower()
    if "themes" in out:
        out["themes"] = _clean_list(out["themes"])
    if "employee_email_domains" in out:
        out["employee_email_domains"] = _clean_list(out["employee_email_domains"], lower=True)
    if "description" in out:
        out["description"] = sanitise_description(out["description"])
    if out.get("cadence") in (Campaign.Cadence.WEEKLY, Campaign.Cadence.SINGLE):
        out["cadence_days"] = None
    return out


def _cover(upload, errors: _Errors):
    if upload is None:
        return None
    try:
        return clean_image(upload, max_mb=5)
    except ImageRejected as exc:
        errors.add("cover", str(exc))
        return None


def _audit_data(campaign, touched, prizes, criteria) -> dict:
    data: dict = {"fields": touched}
    if prizes is not None:
        data["prizes"] = [
            {"kind": p.round_kind, "rank": p.rank, "amount": str(p.amount), "currency": p.currency}
            for p in prizes
        ]
    if criteria is not None:
        data["criteria"] = [{"name": c.name, "weight": c.weight} for c in criteria]
    if "starts_at" in touched or "ends_at" in touched:
        data["dates"] = [campaign.starts_at.isoformat(), campaign.ends_at.isoformat()]
    return data


def _check_published_change(campaign: Campaign, changed: dict, errors: _Errors) -> None:
    now = timezone.now()
    for name in LOCKED_WHEN_PUBLISHED & set(changed):
        errors.add(name, _("This cannot change once the challenge is published."))
    if "starts_at" in changed:
        if lifecycle.has_started(campaign, now):
            errors.add("starts_at", _("The challenge has started: its start cannot move."))
        elif changed["starts_at"] < now:
            errors.add("starts_at", _("The start cannot move into the past."))
    if "ends_at" in changed and changed["ends_at"] < campaign.ends_at:
        errors.add("ends_at", _("A published challenge can be extended, not shortened."))
    if (
        "votes_per_round" in changed
        and lifecycle.has_started(campaign, now)
        and not any(r.starts_at > now for r in campaign.rounds.all())
    ):
        errors.add(
            "votes_per_round",
            _(
                "No round is left to apply this to: the round under way keeps the votes "
                "per person it started with."
            ),
        )


def _rounds_allowance_update(campaign: Campaign) -> None:
    """A running round's rules stay as published: the new votes per person reach
    the rounds that have not started (every round of a draft)."""
    rounds = Round.objects.filter(campaign=campaign)
    if campaign.is_published:
        rounds = rounds.filter(starts_at__gt=timezone.now())
    rounds.update(votes_per_round=campaign.votes_per_round)


def _prizes_clean(items, *, tenant: Tenant, cadence: str, errors: _Errors) -> list[Prize] | None:
    """Unsaved prizes from the incoming items (None: leave the prizes as they are)."""
    if items is None:
        return None
    cleaned, seen = [], set()
    for item in items:
        kind = item.get("round_kind")
        field = "weekly_prize" if kind == Round.Kind.WEEKLY else "grand_prize"
        if kind not in Round.Kind.values:
            errors.add("prizes", _("A prize is for a round or for the grand round."))
            continue
        try:
            amount = Decimal(str(item.get("amount", "")).strip().replace(",", "."))
            if not amount.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.add(field, _("Enter an amount such as 500 or 99.50."))
            continue
        if amount <= 0:
            errors.add(field, _("A prize must be more than zero."))
        elif amount >= MAX_PRIZE or amount != amount.quantize(Decimal("0.01")):
            errors.add(field, _("Enter an amount with at most two decimals."))
        currency = str(item.get("currency") or "").strip().upper()
        if currency not in CURRENCY_CODES:
            errors.add(
                "currency",
                _("Choose a supported currency: %(codes)s.") % {"codes": ", ".join(CURRENCY_CODES)},
            )
        split_rule = item.get("split_rule") or Prize.SplitRule.AUTHOR
        if split_rule not in Prize.SplitRule.values:
            errors.add("split_rule", _("Choose how a prize is split."))
        rank = item.get("rank") or 1
        if not isinstance(rank, int) or not 1 <= rank <= 10 or (kind, rank) in seen:
            errors.add("prizes", _("Each place has one prize."))
        seen.add((kind, rank))
        if kind == Round.Kind.WEEKLY and cadence == Campaign.Cadence.SINGLE:
            errors.add(
                "weekly_prize", _("A challenge with a single round has the grand prize only.")
            )
        cleaned.append(
            Prize(
                tenant=tenant,
                round_kind=kind,
                rank=rank,
                label=str(item.get("label") or "").strip()[:120],
                amount=amount,
                currency=currency,
                split_rule=split_rule,
            )
        )
    return cleaned


def _criteria_clean(items, *, tenant: Tenant, errors: _Errors) -> list[Criterion] | None:
    if items is None:
        return None
    if len(items) > MAX_CRITERIA:
        errors.add("criteria", _("Use at most %(n)s criteria.") % {"n": MAX_CRITERIA})
    cleaned = []
    before = len(errors.get("criteria", []))
    for position, item in enumerate(items):
        name = str(item.get("name") or "").strip()
        if not name or len(name) > 80:
            errors.add("criteria", _("Each criterion needs a name (up to 80 characters)."))
        weight = item.get("weight")
        low, high = item.get("scale_min", 1), item.get("scale_max", 10)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (weight, low, high)):
            errors.add("criteria", _("Weights and scales are whole numbers."))
            continue
        if not 1 <= weight <= 100:
            errors.add("criteria", _("A weight is a whole number from 1 to 100."))
        if not -100 <= low < high <= 100:
            errors.add(
                "criteria", _("A scale goes from a lower to a higher score, such as 1 to 10.")
            )
        cleaned.append(
            Criterion(
                tenant=tenant,
                position=position,
                name=name,
                description=str(item.get("description") or "").strip()[:240],
                weight=weight,
                scale_min=low,
                scale_max=high,
            )
        )
    if cleaned and len(errors.get("criteria", [])) == before:
        total = sum(c.weight for c in cleaned)
        if total != 100:
            errors.add(
                "criteria",
                _("The weights must add up to 100 (they add up to %(total)s).") % {"total": total},
            )
    return cleaned


def _prizes_write(campaign: Campaign, prizes: list[Prize] | None) -> None:
    if prizes is None:
        return
    Prize.objects.filter(campaign=campaign).delete()
    for prize in prizes:
        prize.campaign = campaign
    Prize.objects.bulk_create(prizes)


def _criteria_write(campaign: Campaign, criteria: list[Criterion] | None) -> None:
    if criteria is None:
        return
    Criterion.objects.filter(campaign=campaign).delete()
    for criterion in criteria:
        criterion.campaign = campaign
    Criterion.objects.bulk_create(criteria)
