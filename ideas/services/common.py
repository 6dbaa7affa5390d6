"""What every ideas service shares: the error, the limits, text cleaning and
the rules of who may edit or withdraw an idea."""

from __future__ import annotations

import logging
import re
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.selectors import has_accepted_current_terms
from core.elision import elide
from core.errors import DomainError, NotAllowed
from core.permissions import has_role
from core.text import clean_text  # shared with accounts' display names
from ideas.models import Comment, Flag, Idea

logger = logging.getLogger(__name__)


class IdeaError(DomainError):
    code = "idea_invalid"


MB = 1024 * 1024


TITLE_MIN, TITLE_MAX = 3, 120


COMMENT_MAX = 2000


TAGS_MAX, TAG_MAX_CHARS = 5, 30


COAUTHORS_MAX = 5


# --- Text ---------------------------------------------------------------------------------


def clean_tags(tags) -> list[str]:
    """ "#Compras, hogar " → ["compras", "hogar"]: lower case, no duplicates."""
    if isinstance(tags, str):
        tags = re.split(r"[,;\n]", tags)
    cleaned = []
    for tag in tags or []:
        tag = clean_text(str(tag), single_line=True).lstrip("#").strip().lower()
        tag = re.sub(r"[^\w\- ]", "", tag).strip().replace(" ", "-")[:TAG_MAX_CHARS]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned


# --- Who may do what -------------------------------------------------------------------------


def _check_terms(user, tenant) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to take part."), code="not_signed_in")
    if not has_accepted_current_terms(user, tenant):
        raise NotAllowed(
            elide(
                _("Accept the terms of %(name)s before taking part.") % {"name": tenant.name},
                tenant.name,
            ),
            code="terms_not_accepted",
        )


def _check_moderator(actor, tenant) -> None:
    if not has_role(actor, tenant, Membership.Role.MODERATOR):
        raise NotAllowed(_("Only the brand's moderators can do this."))


def is_author(user, idea: Idea) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and idea.author_id == user.pk


def can_edit(user, idea: Idea) -> bool:
    """The author edits until the first vote, while the idea is still theirs to change."""
    return (
        is_author(user, idea)
        and idea.state in (Idea.State.DRAFT, Idea.State.PENDING, Idea.State.PUBLISHED)
        and idea.vote_count == 0
    )


def can_withdraw(user, idea: Idea) -> bool:
    return is_author(user, idea) and idea.state not in (
        Idea.State.WITHDRAWN,
        Idea.State.MERGED,
    )


def _delete_files_on_commit(files) -> None:
    for stored in files:
        if stored:
            transaction.on_commit(partial(_delete_quietly, stored.storage, stored.name))


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # a file that cannot be deleted must not fail the use case
        logger.exception("could not delete %s", name)


# --- Moderation ----------------------------------------------------------------------------

MODERATION_ACTIONS = ("approve", "hide", "reject")


def _resolve_flags(**target) -> None:
    Flag.objects.filter(resolved_at__isnull=True, **target).update(resolved_at=timezone.now())


def _check_action(action: str, reason: str) -> str:
    if action not in MODERATION_ACTIONS:
        raise IdeaError(_("Choose approve, hide or reject."), fields={"action": [_("Unknown.")]})
    reason = clean_text(reason)[:1000]
    if action in ("hide", "reject") and not reason:
        raise IdeaError(
            _("Give a reason: the author will read it."),
            fields={"reason": [_("This field is required.")]},
        )
    return reason


def _flag_record(contribution, *, reporter, reason: str, note: str, already: str) -> Flag:
    """Store a report on an idea or a comment and count it on the contribution;
    a second report by the same person is refused with `already` (the database
    says when it is one). Call inside the caller's transaction."""
    field = "comment" if isinstance(contribution, Comment) else "idea"
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                tenant=contribution.tenant,
                reporter=reporter,
                reason=reason,
                note=clean_text(note)[:500],
                **{field: contribution},
            )
    except IntegrityError:
        raise IdeaError(already, code="already_flagged") from None
    type(contribution).objects.filter(pk=contribution.pk).update(flag_count=F("flag_count") + 1)
    return flag


def _check_flag(reporter, tenant, reason: str, *, is_own: bool) -> None:
    _check_terms(reporter, tenant)
    if reason not in Flag.Reason.values:
        raise IdeaError(_("Choose why you report it."), fields={"reason": [_("Choose a reason.")]})
    if is_own:
        raise IdeaError(_("You cannot report your own contribution."), code="own_content")
