"""What every campaigns service shares: the error, the limits, the cleaning."""

import re
from decimal import Decimal

import nh3
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from core.errors import DomainError, FieldErrors

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


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
