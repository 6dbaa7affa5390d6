"""Every write on challenges, their rounds, prizes, rubric and invitation links,
and on the brand settings edited from the console.

Services validate everything first and write afterwards, inside one
transaction: bad input raises `CampaignError` with one message per field
(`fields`), and nothing is half-written. The console's forms and the API show
those messages next to the fields.
"""

import datetime as dt
import re
import secrets
import zoneinfo
from decimal import Decimal, InvalidOperation

import nh3
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns import lifecycle
from campaigns.models import CURRENCY_CODES, Campaign, Criterion, Invitation, Prize, Round
from campaigns.schedule import round_end, round_windows
from config.api import DomainError, FieldErrors
from config.images import ImageRejected, clean_image
from tenants import services as tenant_services
from tenants.models import Tenant

# --- Errors and limits -------------------------------------------------------------


class CampaignError(DomainError):
    code = "campaign_invalid"


SLUG = re.compile(r"^[a-z0-9](-?[a-z0-9])*$")
DOMAIN = re.compile(r"^([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,63}$")
MAX_CHALLENGE_DAYS = 366
MAX_PRIZE = Decimal("1000000000")
MAX_THEMES = 12
MAX_CRITERIA = 10
RANGES = {
    "text_max_chars": (20, 20000),
    "image_max_mb": (1, 50),
    "video_max_mb": (1, 2000),
    "video_max_seconds": (5, 3600),
    "flags_to_hide": (1, 100),
    "votes_per_round": (1, 1000),
    "cadence_days": (1, 90),
    "shortlist_size": (1, 100),
    "jury_size": (1, 50),
}
DESCRIPTION_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h2", "h3"}
DESCRIPTION_TAGS |= {"blockquote"}

# Settings a service may change, by name. Prizes, rubric and invitations have
# their own services; status moves only through publish/unpublish/close/archive.
SETTINGS = [
    "title",
    "slug",
    "pitch",
    "description",
    "themes",
    "audience",
    "employee_email_domains",
    "allow_text",
    "allow_image",
    "allow_video",
    "text_max_chars",
    "image_max_mb",
    "video_max_mb",
    "video_max_seconds",
    "moderation",
    "flags_to_hide",
    "voters",
    "votes_per_round",
    "self_vote_allowed",
    "show_vote_counts",
    "round_covers",
    "starts_at",
    "ends_at",
    "cadence",
    "cadence_days",
    "shortlist_size",
    "weekly_winners_can_win_grand",
    "jury_size",
    "jury_blind",
    "jury_guidance",
    "terms_text",
]
# Fixed once the challenge is published: its address is shared, its rounds exist.
LOCKED_WHEN_PUBLISHED = {"slug", "cadence", "cadence_days"}
SCHEDULE_FIELDS = {"starts_at", "ends_at", "cadence", "cadence_days"}


def _fail(fields: dict[str, list[str]]):
    first = next(iter(fields.values()))[0]
    message = first if len(fields) == 1 else _("Some fields are not valid.")
    raise CampaignError(message, fields=fields)


class _Errors(FieldErrors):
    """A refusal naming one field says its message; several say so in general."""

    def raise_if_any(self) -> None:
        if self:
            _fail(dict(self))


# --- Cleaning ------------------------------------------------------------------------


def sanitise_description(text: str) -> str:
    """Rich text from the console, made safe: a few formatting tags, http(s) and
    mailto links only. Plain text (no tags) becomes paragraphs."""
    text = (text or "").strip()
    if not text:
        return ""
    if "<" not in text:
        text = linebreaks(text)  # escapes, then <p>/<br>
    return nh3.clean(
        text,
        tags=DESCRIPTION_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def _clean_list(values, *, lower: bool = False) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    out: list[str] = []
    for value in values or []:
        value = str(value).strip()
        if lower:
            value = value.lower().lstrip("@")
        if value and value not in out:
            out.append(value)
    return out


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


def _validate(values: dict, *, tenant: Tenant, campaign: Campaign | None, errors: _Errors):
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


# --- Rounds ----------------------------------------------------------------------------


def _windows(campaign: Campaign):
    return round_windows(
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        round_days=campaign.round_days,
        time_zone=campaign.tenant.time_zone,
    )


def _rounds_create(campaign: Campaign) -> None:
    """The rounds of a new challenge."""
    Round.objects.bulk_create(
        Round(
            tenant=campaign.tenant,
            campaign=campaign,
            index=w.index,
            kind=w.kind,
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            voting_ends_at=w.voting_ends_at,
        )
        for w in _windows(campaign)
    )


def _rounds_reschedule(campaign: Campaign) -> None:
    """The dates or the cadence changed: move the rounds that still take part to
    their new windows, add the new ones, drop scheduled ones that no longer fit.
    Rounds keep their identity (other apps point at them); rounds whose voting
    is over never change. A draft's rounds are all scheduled, so they follow the
    settings freely; a published challenge's only as far as the services allow
    (a later end, a start moved before it came). Call while holding the
    challenge's row lock."""
    existing = list(Round.objects.select_for_update().filter(campaign=campaign))
    grand = next((r for r in existing if r.kind == Round.Kind.GRAND), None)
    weekly = {r.index: r for r in existing if r.kind == Round.Kind.WEEKLY}
    windows = _windows(campaign)
    if grand is not None:  # out of the way of the weekly indexes while they move
        grand.index = 1000
        grand.save(update_fields=["index"])
    for index, round_ in weekly.items():
        if index >= len(windows) and round_.state == Round.State.SCHEDULED:
            round_.delete()
    for window in windows:
        round_ = grand if window.kind == Round.Kind.GRAND else weekly.get(window.index)
        if round_ is None:
            Round.objects.create(
                tenant=campaign.tenant,
                campaign=campaign,
                index=window.index,
                kind=window.kind,
                starts_at=window.starts_at,
                ends_at=window.ends_at,
                voting_ends_at=window.voting_ends_at,
            )
            continue
        fields = []
        if round_.index != window.index:
            round_.index = window.index
            fields.append("index")
        if round_.state in lifecycle.ROUND_STATES_TAKING_VOTES:
            if round_.state == Round.State.SCHEDULED and round_.starts_at != window.starts_at:
                round_.starts_at = window.starts_at
                fields.append("starts_at")
            if round_.ends_at != window.ends_at:
                round_.ends_at = window.ends_at
                round_.voting_ends_at = window.voting_ends_at
                fields += ["ends_at", "voting_ends_at"]
        if fields:
            round_.save(update_fields=fields)


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
                tenant=tenant,
                actor=actor,
                action="campaign.create",
                target=campaign,
                data={"slug": campaign.slug},
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
    terms makes a new terms version. A finished challenge no longer changes.

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
        if new_prizes is not None:
            _prizes_write(campaign, new_prizes)
            touched.append("prizes")
        if new_criteria is not None:
            _criteria_write(campaign, new_criteria)
            touched.append("criteria")
        if touched:
            audit_record(
                tenant=campaign.tenant,
                actor=actor,
                action="campaign.update",
                target=campaign,
                data=_audit_data(campaign, touched, new_prizes, new_criteria),
            )
    return campaign


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
        Round.objects.filter(
            campaign=campaign, state=Round.State.SCHEDULED, starts_at__lte=now
        ).update(state=Round.State.OPEN)
        audit_record(
            tenant=campaign.tenant, actor=actor, action="campaign.publish", target=campaign
        )
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
        audit_record(
            tenant=campaign.tenant,
            actor=actor,
            action="campaign.unpublish",
            target=campaign,
            reason=reason,
        )
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
            tenant=campaign.tenant,
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
        audit_record(
            tenant=campaign.tenant,
            actor=actor,
            action="campaign.archive",
            target=campaign,
            reason=reason,
        )
    return campaign


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
            Prize(
                tenant=tenant,
                campaign=copy,
                round_kind=p.round_kind,
                rank=p.rank,
                label=p.label,
                amount=p.amount,
                currency=p.currency,
                split_rule=p.split_rule,
            )
            for p in campaign.prizes.all()
        )
        Criterion.objects.bulk_create(
            Criterion(
                tenant=tenant,
                campaign=copy,
                position=c.position,
                name=c.name,
                description=c.description,
                weight=c.weight,
                scale_min=c.scale_min,
                scale_max=c.scale_max,
            )
            for c in campaign.criteria.all()
        )
        audit_record(
            tenant=tenant,
            actor=actor,
            action="campaign.duplicate",
            target=copy,
            data={"from": str(campaign.public_id)},
        )
    return copy


def _shift_days(moment: dt.datetime, tz, days: int) -> dt.datetime:
    local = moment.astimezone(tz).replace(tzinfo=None) + dt.timedelta(days=days)
    return local.replace(tzinfo=tz).astimezone(dt.UTC)


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- The tick --------------------------------------------------------------------------


def campaign_advance(*, campaign: Campaign, now: dt.datetime | None = None) -> bool:
    """Bring the stored statuses up to date with the clock: a scheduled challenge
    whose start passed opens, an open one whose end passed closes, rounds whose
    start passed open. Idempotent: running it twice, or on two workers at once,
    changes nothing the second time. Returns whether something changed.

    Rounds go further (voting closed, in review…) through the round cycle of the
    prize engine, not here."""
    now = now or timezone.now()
    changed = False
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update()
            .select_related("tenant")
            .filter(pk=campaign.pk)
            .first()
        )
        if campaign is None:
            return False
        due = lifecycle.due_status(campaign, now)
        if campaign.status in lifecycle.PUBLISHED_STATUSES and due != campaign.status:
            previous = campaign.status
            campaign.status = due
            fields = ["status", "updated_at"]
            if due == Campaign.Status.CLOSED:
                campaign.closed_at = now
                fields.append("closed_at")
            campaign.save(update_fields=fields)
            audit_record(
                tenant=campaign.tenant,
                actor=None,
                action=f"campaign.{due}",
                target=campaign,
                data={"from": previous},
            )
            changed = True
        if campaign.status != Campaign.Status.DRAFT:
            opened = Round.objects.filter(
                campaign=campaign, state=Round.State.SCHEDULED, starts_at__lte=now
            ).update(state=Round.State.OPEN)
            changed = changed or opened > 0
    return changed


def round_transition(*, round: Round, to: str, from_states: tuple[str, ...]) -> bool:
    """Move a round to `to` if it is in one of `from_states`, with a conditional
    UPDATE: running it twice, or on two workers at once, moves it once. Returns
    whether it moved (and sets `round.state`).

    The apps above move rounds on through it as the round goes on (DESIGN.md):
    the jury (in_review when the shortlist is made, decided when the chair
    confirms), the round cycle of the prize engine (announced)."""
    if to not in Round.State.values:
        raise ValueError(f"unknown round state {to!r}")
    moved = Round.objects.filter(pk=round.pk, state__in=from_states).update(state=to) == 1
    if moved:
        previous = round.state
        round.state = to
        audit_record(
            tenant=Tenant.objects.get(pk=round.tenant_id),
            actor=None,
            action=f"round.{to}",
            target=round,
            data={"from": previous},
        )
    return moved


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
            tenant=campaign.tenant,
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
                tenant=invitation.tenant,
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


# --- Brand settings ---------------------------------------------------------------------


def brand_update(
    *, tenant: Tenant, actor, logo=None, remove_logo: bool = False, **changes
) -> Tenant:
    """The brand's name, languages, time zone, colours and logo, from the console.

    The tenants app validates and writes the brand's fields; the logo goes
    through the same image checks as a challenge's cover. On record.
    """
    logo_file = None
    if logo is not None:
        try:
            logo_file = clean_image(logo, max_mb=2, max_side=600)
        except ImageRejected as exc:
            raise CampaignError(str(exc), fields={"logo": [str(exc)]}) from exc
    with transaction.atomic():
        try:
            fields = tenant_services.tenant_update(tenant=tenant, **changes)
        except tenant_services.TenantError as exc:
            raise CampaignError(exc.message, fields=exc.fields) from exc
        if logo_file is not None:
            tenant.logo.save(logo_file.name, logo_file, save=False)
            fields.append("logo")
        elif remove_logo and tenant.logo:
            tenant.logo = ""
            fields.append("logo")
        if "logo" in fields:
            tenant.save(update_fields=["logo"])
        if fields:
            audit_record(
                tenant=tenant,
                actor=actor,
                action="brand.update",
                target=tenant,
                data={"fields": sorted(fields)},
            )
    return tenant


def brand_domain_add(*, tenant: Tenant, actor, hostname: str):
    """Attach a custom domain (the tenants app checks and stores it), on record."""
    try:
        with transaction.atomic():
            domain = tenant_services.domain_add(tenant=tenant, hostname=hostname)
            audit_record(
                tenant=tenant,
                actor=actor,
                action="brand.domain_add",
                target=tenant,
                data={"hostname": domain.hostname},
            )
    except tenant_services.TenantError as exc:
        raise CampaignError(exc.message, code=exc.code, fields={"hostname": [exc.message]}) from exc
    return domain


def brand_domain_set_primary(*, tenant: Tenant, actor, domain) -> None:
    """Make a domain the brand's main address (links and e-mails use it), on record."""
    with transaction.atomic():
        tenant_services.domain_set_primary(domain=domain)
        audit_record(
            tenant=tenant,
            actor=actor,
            action="brand.domain_primary",
            target=tenant,
            data={"hostname": domain.hostname},
        )


def brand_domain_remove(*, tenant: Tenant, actor, domain) -> None:
    """Detach a custom domain, on record."""
    try:
        with transaction.atomic():
            tenant_services.domain_remove(domain=domain)
            audit_record(
                tenant=tenant,
                actor=actor,
                action="brand.domain_remove",
                target=tenant,
                data={"hostname": domain.hostname},
            )
    except tenant_services.TenantError as exc:
        raise CampaignError(exc.message, code=exc.code) from exc
