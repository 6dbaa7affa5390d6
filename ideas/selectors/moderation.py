"""The moderation queues of ideas and comments, and an idea's history."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry
from accounts.selectors import audit_trail, public_names
from core.views import valid_uuids
from ideas.models import Comment, Flag, Idea
from ideas.selectors.gallery import _decode_cursor, _encode_cursor
from ideas.selectors.stages import attach_labels
from ideas.services import clean_text

# --- The console -----------------------------------------------------------------------------

QUEUE_FILTERS = {
    "waiting": _("Waiting for review"),
    "flagged": _("Flagged"),
    "hidden": _("Hidden"),
    "published": _("Published"),
    "rejected": _("Rejected"),
    "all": _("All"),
}


@dataclass
class QueueQuery:
    status: str = "waiting"
    campaign: str = ""  # slug
    reason: str = ""
    kind: str = ""
    stage: str = ""
    label: str = ""  # a label's public id
    q: str = ""
    cursor: str = ""

    @classmethod
    def from_params(cls, params) -> QueueQuery:
        status = params.get("status") or "waiting"
        reason = params.get("reason", "")
        kind = params.get("kind", "")
        stage = params.get("stage", "")
        label = str(params.get("label", ""))
        return cls(
            status=status if status in QUEUE_FILTERS else "waiting",
            campaign=clean_text(str(params.get("campaign", "")), single_line=True)[:60],
            reason=reason if reason in Idea.Hold.values else "",
            kind=kind if kind in Idea.Kind.values else "",
            stage=stage if stage in Idea.Stage.values else "",
            label=label if valid_uuids([label]) else "",
            q=clean_text(str(params.get("q", "")), single_line=True)[:100],
            cursor=str(params.get("cursor", ""))[:200],
        )

    def params(self, **changes) -> dict:
        values = {
            "status": self.status,
            "campaign": self.campaign,
            "reason": self.reason,
            "kind": self.kind,
            "stage": self.stage,
            "label": self.label,
            "q": self.q,
            **changes,
        }
        return {k: v for k, v in values.items() if v}


def _queue_status(queryset, status: str, *, model):
    state = model.State
    if status == "waiting":
        queryset = queryset.filter(state=state.PENDING)
        if model is Idea:
            queryset = queryset.exclude(hold_reasons__contains=[Idea.Hold.MEDIA])
        return queryset
    if status == "flagged":
        return queryset.filter(flag_count__gt=0)
    if status in ("hidden", "published", "rejected"):
        return queryset.filter(state=status)
    return queryset


def moderation_queue(*, tenant, query: QueueQuery, page_size: int = 50):
    """Ideas for the moderators, oldest waiting first, with their media,
    challenge, owner, open flags, labels and authors' names (five queries
    whatever the page)."""
    ideas = _queue_status(Idea.objects.filter(tenant=tenant), query.status, model=Idea)
    if query.campaign:
        ideas = ideas.filter(campaign__slug=query.campaign)
    if query.reason:
        ideas = ideas.filter(hold_reasons__contains=[query.reason])
    if query.kind:
        ideas = ideas.filter(kind=query.kind)
    if query.stage:
        ideas = ideas.filter(stage=query.stage)
    if query.label:
        ideas = ideas.filter(label_links__label__public_id=query.label)
    if query.q:
        ideas = ideas.filter(Q(title__icontains=query.q) | Q(body__icontains=query.q))
    after = _decode_cursor(query.cursor, "queue")
    if after is not None:
        ideas = ideas.filter(pk__gt=after[1])
    rows = list(ideas.select_related("campaign", "media", "owner").order_by("id")[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    _attach_flags(rows, field_name="idea_id")
    attach_labels(rows)
    names = public_names(tenant=tenant, user_ids=[i.author_id for i in rows if i.author_id])
    for idea in rows:
        idea.author_name = names.get(idea.author_id) or str(_("Former participant"))
    next_cursor = _encode_cursor("queue", 0, rows[-1].pk) if more and rows else None
    return rows, next_cursor


def comment_queue(*, tenant, status: str = "waiting", page_size: int = 50):
    comments = _queue_status(Comment.objects.filter(tenant=tenant), status, model=Comment)
    rows = list(comments.select_related("idea", "idea__campaign").order_by("id")[:page_size])
    _attach_flags(rows, field_name="comment_id")
    names = public_names(tenant=tenant, user_ids=[c.author_id for c in rows if c.author_id])
    for comment in rows:
        comment.author_name = names.get(comment.author_id) or str(_("Former participant"))
    return rows


def _attach_flags(rows, *, field_name: str) -> None:
    if not rows:
        return
    flags = Flag.objects.filter(
        **{f"{field_name}__in": [r.pk for r in rows]}, resolved_at__isnull=True
    ).order_by("created_at")
    by_target: dict[int, list[Flag]] = {}
    for flag in flags:
        by_target.setdefault(getattr(flag, field_name), []).append(flag)
    for row in rows:
        row.open_flags = by_target.get(row.pk, [])


def ideas_for_moderation(*, tenant, public_ids) -> list[Idea]:
    return list(
        Idea.objects.filter(tenant=tenant, public_id__in=list(public_ids)).select_related(
            "campaign", "author"
        )
    )


def comments_for_moderation(*, tenant, public_ids) -> list[Comment]:
    return list(
        Comment.objects.filter(tenant=tenant, public_id__in=list(public_ids)).select_related(
            "idea", "author"
        )
    )


def history_of(idea: Idea) -> list[AuditEntry]:
    """Every decision on the idea and its comments, newest first (who, when, why)."""
    comments = Comment.objects.filter(idea=idea).only("public_id")
    return audit_trail(tenant=idea.tenant, targets=[idea, *comments])


def waiting_count(*, tenant) -> int:
    return (
        Idea.objects.filter(tenant=tenant, state=Idea.State.PENDING)
        .exclude(hold_reasons__contains=[Idea.Hold.MEDIA])
        .count()
    )
