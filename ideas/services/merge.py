"""Merging a duplicate into another idea: votes, comments and followers move."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from ideas import extensions
from ideas.models import Coauthor, Comment, Idea
from ideas.services.comments import _recount_comments
from ideas.services.common import IdeaError, _check_moderator, _resolve_flags, clean_text
from notifications.services import notify


def idea_merge(*, duplicate: Idea, into: Idea, actor, reason: str = "") -> Idea:
    """A moderator merges a duplicate into another idea of the same challenge:
    the voting app moves its votes (see extensions.register_merge_handler), its
    comments move, its author becomes a co-author, and its address redirects."""
    _check_moderator(actor, duplicate.tenant)
    if duplicate.pk == into.pk:
        raise IdeaError(_("Choose another idea to merge into."), code="merge_same")
    if duplicate.campaign_id != into.campaign_id:
        raise IdeaError(_("Both ideas must belong to the same challenge."), code="merge_campaign")
    open_states = (Idea.State.PENDING, Idea.State.PUBLISHED, Idea.State.HIDDEN)
    reason = clean_text(reason)[:1000]
    with transaction.atomic():
        first, second = sorted([duplicate.pk, into.pk])
        locked = {i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[first, second])}
        duplicate, into = locked[duplicate.pk], locked[into.pk]
        if duplicate.state not in open_states:
            raise IdeaError(_("This idea cannot be merged any more."), code="merge_state")
        if into.state != Idea.State.PUBLISHED:
            raise IdeaError(_("Merge into a published idea."), code="merge_target_state")
        for handler in extensions.merge_handlers():
            handler(duplicate=duplicate, into=into)
        author = duplicate.author
        if author is not None and author.pk != into.author_id:
            Coauthor.objects.update_or_create(
                tenant=into.tenant,
                idea=into,
                user=author,
                defaults={
                    "status": Coauthor.Status.ACCEPTED,
                    "via_merge": True,
                    "accepted_at": timezone.now(),
                    "token": secrets.token_urlsafe(24),
                },
            )
        Comment.objects.filter(idea=duplicate).update(idea=into)
        Idea.objects.filter(merged_into=duplicate).update(merged_into=into)
        _resolve_flags(idea=duplicate)
        duplicate.state = Idea.State.MERGED
        duplicate.merged_into = into
        duplicate.moderation_reason = reason
        duplicate.hold_reasons = []
        duplicate.flag_count = 0
        duplicate.save(
            update_fields=[
                "state",
                "merged_into",
                "moderation_reason",
                "hold_reasons",
                "flag_count",
                "updated_at",
            ]
        )
        _recount_comments([into])
        for target, data in ((duplicate, {"into": str(into.public_id)}),
                             (into, {"merged": str(duplicate.public_id)})):  # fmt: skip
            audit_record(actor=actor, action="idea.merge", target=target, reason=reason, data=data)
        if author is not None:
            notify(
                recipient=author,
                event="idea.merged",
                tenant=into.tenant,
                context={
                    "idea_title": duplicate.title,
                    "into_title": into.title,
                    "url": into.get_absolute_url(),
                },
            )
    return into
