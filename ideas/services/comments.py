"""Comments: posted, moderated, withdrawn and flagged."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import public_names
from accounts.services import audit_record
from campaigns.models import Campaign
from core.errors import NotAllowed
from ideas.models import Comment, Flag, Idea
from ideas.services import webhooks
from ideas.services.common import (
    COMMENT_MAX,
    IdeaError,
    _check_action,
    _check_flag,
    _check_moderator,
    _check_terms,
    _flag_record,
    _resolve_flags,
    clean_text,
)
from ideas.services.moderation import _tell_moderators, hold_reasons_for, moderation_rules
from ideas.services.search import trending_now
from notifications.services import follow, notify, notify_followers

# --- Comments ------------------------------------------------------------------------------


def _recount_comments(ideas) -> None:
    for idea in ideas:
        count = Comment.objects.filter(idea=idea, state=Comment.State.PUBLISHED).count()
        Idea.objects.filter(pk=idea.pk).update(comment_count=count)
        idea.comment_count = count


def comment_post(*, idea: Idea, author, body: str, parent: Comment | None = None) -> Comment:
    """A participant comments on a published idea, or replies to a comment (a
    reply to a reply joins the same thread: one level only)."""
    _check_terms(author, idea.tenant)
    body = clean_text(body)
    if not body:
        raise IdeaError(_("Write your comment."), fields={"body": [_("Write your comment.")]})
    if len(body) > COMMENT_MAX:
        raise IdeaError(
            _("A comment is %(n)s characters at most.") % {"n": COMMENT_MAX},
            fields={"body": [_("Too long.")]},
        )
    if idea.state != Idea.State.PUBLISHED:
        raise IdeaError(_("This idea does not take comments."), code="not_published")
    if idea.campaign.status == Campaign.Status.ARCHIVED:
        raise IdeaError(_("This challenge is archived."), code="archived")
    if parent is not None:
        if parent.idea_id != idea.pk or parent.state != Comment.State.PUBLISHED:
            raise IdeaError(_("This comment cannot be answered."), code="bad_parent")
        if parent.parent_id is not None:
            parent = parent.parent
    reasons = hold_reasons_for(body, rules=moderation_rules(idea.tenant))
    if idea.campaign.moderation == Campaign.Moderation.PRE:
        reasons.insert(0, Idea.Hold.PRE_MODERATION)
    with transaction.atomic():
        comment = Comment.objects.create(
            tenant=idea.tenant,
            idea=idea,
            parent=parent,
            author=author,
            body=body,
            hold_reasons=reasons,
            state=Comment.State.PENDING if reasons else Comment.State.PUBLISHED,
            published_at=None if reasons else timezone.now(),
        )
        follow(user=author, target_type="idea", target_id=idea.public_id, tenant=idea.tenant)
        if comment.state == Comment.State.PUBLISHED:
            _comment_published(comment)
        else:
            _tell_moderators(idea.tenant)
    return comment


def _comment_published(comment: Comment) -> None:
    """Counts, trending, and the people told: the idea's author, the author of
    the comment answered, then the idea's followers."""
    idea = Idea.objects.select_for_update().get(pk=comment.idea_id)
    webhooks.comment_posted(comment)
    _recount_comments([idea])
    idea.trending_score = trending_now(idea)
    Idea.objects.filter(pk=idea.pk).update(trending_score=idea.trending_score)
    writer = comment.author
    names = public_names(tenant=idea.tenant, user_ids=[writer.pk]) if writer else {}
    context = {
        "idea_title": idea.title,
        "author_name": names.get(writer.pk) if writer else _("Former participant"),
        "excerpt": comment.body[:140],
        "url": f"{idea.get_absolute_url()}#comment-{comment.public_id}",
    }
    told = {writer.pk} if writer else set()
    if idea.author is not None and idea.author_id not in told:
        notify(recipient=idea.author, event="comment.on_my_idea", tenant=idea.tenant,
               context=context, dedupe_key=f"comment:{comment.public_id}")  # fmt: skip
        told.add(idea.author_id)
    parent_author = comment.parent.author if comment.parent_id else None
    if parent_author is not None and parent_author.pk not in told:
        notify(recipient=parent_author, event="comment.reply", tenant=idea.tenant,
               context=context, dedupe_key=f"comment:{comment.public_id}")  # fmt: skip
        told.add(parent_author.pk)
    notify_followers(
        target_type="idea",
        target_id=idea.public_id,
        event="comment.on_followed_idea",
        tenant=idea.tenant,
        context=context,
        exclude=told,
        dedupe_key=f"comment:{comment.public_id}",
    )


COMMENT_MODERATION = {
    "approve": ((Comment.State.PENDING, Comment.State.HIDDEN), Comment.State.PUBLISHED),
    "hide": ((Comment.State.PENDING, Comment.State.PUBLISHED), Comment.State.HIDDEN),
    "reject": (
        (Comment.State.PENDING, Comment.State.HIDDEN, Comment.State.PUBLISHED),
        Comment.State.REJECTED,
    ),
}


def comments_moderate(*, comments, actor, action: str, reason: str = "") -> dict:
    comments = list(comments)
    if not comments:
        raise IdeaError(_("Choose at least one comment."), fields={"comments": [_("Choose one.")]})
    tenant = comments[0].tenant
    _check_moderator(actor, tenant)
    reason = _check_action(action, reason)
    from_states, to_state = COMMENT_MODERATION[action]
    done, skipped = [], []
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .filter(tenant=tenant, pk__in=[c.pk for c in comments])
            .select_related("idea", "parent", "author")
            .order_by("pk")
        )
        for comment in locked:
            if comment.state not in from_states:
                skipped.append(comment)
                continue
            previous = comment.state
            comment.state = to_state
            comment.moderation_reason = reason
            comment.hold_reasons = []
            comment.flag_count = 0
            first_time = to_state == Comment.State.PUBLISHED and comment.published_at is None
            if to_state == Comment.State.PUBLISHED:
                comment.published_at = comment.published_at or timezone.now()
            comment.save(
                update_fields=[
                    "state",
                    "moderation_reason",
                    "hold_reasons",
                    "flag_count",
                    "published_at",
                ]
            )
            _resolve_flags(comment=comment)
            audit_record(
                actor=actor,
                action=f"comment.{action}",
                target=comment,
                reason=reason,
                data={"from": previous, "to": to_state, "idea": str(comment.idea.public_id)},
            )
            if first_time and comment.idea.state == Idea.State.PUBLISHED:
                _comment_published(comment)
            else:
                _recount_comments([comment.idea])
            done.append(comment)
    return {"done": done, "skipped": skipped}


def comment_withdraw(*, comment: Comment, actor) -> Comment:
    if not getattr(actor, "is_authenticated", False) or comment.author_id != actor.pk:
        raise NotAllowed(_("Only its author can delete this comment."))
    with transaction.atomic():
        comment.state = Comment.State.WITHDRAWN
        comment.save(update_fields=["state"])
        _recount_comments([comment.idea])
    return comment


def comment_flag(*, comment: Comment, reporter, reason: str, note: str = "") -> Flag:
    _check_flag(
        reporter,
        comment.tenant,
        reason,
        is_own=comment.author_id == getattr(reporter, "pk", None),
    )
    if comment.state != Comment.State.PUBLISHED:
        raise IdeaError(_("This comment is already being reviewed."), code="not_published")
    with transaction.atomic():
        flag = _flag_record(
            comment,
            reporter=reporter,
            reason=reason,
            note=note,
            already=_("You already reported this comment: a moderator will look at it."),
        )
        comment = (
            Comment.objects.select_for_update().select_related("idea__campaign").get(pk=comment.pk)
        )
        threshold = comment.idea.campaign.flags_to_hide
        if threshold and comment.flag_count >= threshold:
            comment.state = Comment.State.HIDDEN
            comment.hold_reasons = [Idea.Hold.FLAGS]
            comment.save(update_fields=["state", "hold_reasons"])
            _recount_comments([comment.idea])
            audit_record(
                actor=None,
                action="comment.auto_hide",
                target=comment,
                data={"flags": comment.flag_count, "threshold": threshold},
            )
            _tell_moderators(comment.tenant)
    return flag
