"""What became of the ideas: the public section of a challenge, and the
console's reads of stages, labels and owners."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from accounts.models import AuditEntry, Membership
from accounts.selectors import team_list
from campaigns.models import Campaign
from ideas.models import Idea, IdeaLabel, Label
from ideas.services import PUBLIC_STAGES, STAGE_MOVES

# How many ideas each stage shows on the challenge page (newest moves first).
OUTCOMES_PER_STAGE = 6


@dataclass
class OutcomeGroup:
    stage: str
    label: str
    ideas: list = field(default_factory=list)


def outcomes(campaign: Campaign, *, per_stage: int = OUTCOMES_PER_STAGE) -> list[OutcomeGroup]:
    """The challenge's published ideas past "selected", grouped by stage (launched
    first), and the declined ones the brand chose to show with their note. One
    query whatever the number of ideas; empty when nothing moved."""
    shown = Q(stage__in=PUBLIC_STAGES) | Q(stage=Idea.Stage.DECLINED, stage_note_shown=True)
    ranked = (
        Idea.objects.filter(
            shown, tenant=campaign.tenant, campaign=campaign, state=Idea.State.PUBLISHED
        )
        .select_related("media")
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("stage_changed_at").desc(), F("id").desc()],
            )
        )
        .filter(place__lte=per_stage)
        .order_by("-stage_changed_at", "-id")
    )
    order = (*reversed(PUBLIC_STAGES), Idea.Stage.DECLINED)
    groups = {stage: OutcomeGroup(stage, Idea.Stage(stage).label) for stage in order}
    for idea in ranked:
        groups[idea.stage].ideas.append(idea)
    return [group for group in groups.values() if group.ideas]


# --- The console ---------------------------------------------------------------------------


def next_stages(idea: Idea) -> list[tuple[str, str]]:
    """(stage, label) of the stages the idea may move to now."""
    return [(stage, Idea.Stage(stage).label) for stage in STAGE_MOVES[idea.stage]]


def stage_changes(history: list[AuditEntry]) -> list[AuditEntry]:
    """The stage changes of an idea's history (newest first), each with
    `from_label` and `to_label` in words."""
    changes = [entry for entry in history if entry.action == "idea.stage"]
    for entry in changes:
        entry.from_label = _stage_label(entry.data.get("from"))
        entry.to_label = _stage_label(entry.data.get("to"))
    return changes


def _stage_label(code) -> str:
    try:
        return str(Idea.Stage(code).label)
    except ValueError:
        return str(code or "")


def labels_of(tenant) -> list[Label]:
    return list(Label.objects.filter(tenant=tenant).order_by("name", "pk"))


def labels_with_counts(tenant, *, only: Label | None = None):
    """The brand's labels, each with `idea_count` (one query); with `only`, that
    label's count alone."""
    labels = Label.objects.filter(tenant=tenant).annotate(idea_count=Count("idea_links"))
    if only is not None:
        return labels.get(pk=only.pk).idea_count
    return list(labels.order_by("name", "pk"))


def label_for_console(request, public_id) -> Label:
    label = Label.objects.filter(tenant=request.tenant, public_id=public_id).first()
    if label is None:
        raise Http404
    return label


def attach_labels(ideas: list[Idea]) -> None:
    """Set `idea.labels` (their Label rows, by name) on each idea: one query."""
    by_idea: dict[int, list[Label]] = {idea.pk: [] for idea in ideas}
    if by_idea:
        links = (
            IdeaLabel.objects.filter(idea_id__in=list(by_idea))
            .select_related("label")
            .order_by("label__name", "label_id")
        )
        for link in links:
            by_idea[link.idea_id].append(link.label)
    for idea in ideas:
        idea.labels = by_idea[idea.pk]


def owner_choices(tenant) -> list:
    """The people an idea may be given to: the brand's console team (no jurors)."""
    roles = (Membership.Role.OWNER, Membership.Role.ADMIN, Membership.Role.MODERATOR)
    return [m.user for m in team_list(tenant=tenant).filter(role__in=roles)]


def owner_by_public_id(tenant, public_id):
    """The console team member with this id, or None."""
    for user in owner_choices(tenant):
        if str(user.public_id) == str(public_id):
            return user
    return None
