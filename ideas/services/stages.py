"""What became of an idea, on the brand's side: its stage (apart from its
moderation state), the team's internal labels and the team member who owns it.

Stages move along STAGE_MOVES only. Each change is audited (who, when, from,
to); a stage change tells the idea's author and followers and the brand's
webhooks; labels and owners are the team's business and tell nobody.

The services take one idea or many (the console's bulk bar): every idea is
checked before anything is written, so a refusal leaves them all as they were.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.services import audit_record
from core.errors import NotAllowed
from core.permissions import CONSOLE_ROLES, has_role
from ideas.models import Idea, IdeaLabel, Label
from ideas.services import webhooks
from ideas.services.common import IdeaError, clean_text
from notifications.services import notify, notify_followers

Stage = Idea.Stage

# stage: the stages it may move to. Forward one step (an idea may skip "under
# review"), back one step to correct a mistake, declined from any stage before
# launch, and a declined idea reopened for review.
STAGE_MOVES: dict[str, tuple[str, ...]] = {
    Stage.NONE: (Stage.UNDER_REVIEW, Stage.SELECTED, Stage.DECLINED),
    Stage.UNDER_REVIEW: (Stage.SELECTED, Stage.DECLINED, Stage.NONE),
    Stage.SELECTED: (Stage.IN_DEVELOPMENT, Stage.DECLINED, Stage.UNDER_REVIEW),
    Stage.IN_DEVELOPMENT: (Stage.LAUNCHED, Stage.DECLINED, Stage.SELECTED),
    Stage.LAUNCHED: (Stage.IN_DEVELOPMENT,),
    Stage.DECLINED: (Stage.UNDER_REVIEW,),
}

# The stages the public section "What became of the ideas" lists.
PUBLIC_STAGES = (Stage.SELECTED, Stage.IN_DEVELOPMENT, Stage.LAUNCHED)

STAGE_NOTE_MAX = 1000
LABEL_NAME_MAX = 40
LABELS_MAX = 200  # per tenant: a palette for a team, not a second tag cloud


def can_manage_stages(user, tenant) -> bool:
    """Owners and administrators decide what becomes of ideas; moderators see it."""
    return has_role(user, tenant, Membership.Role.ADMIN)


def _check_manager(actor, tenant) -> None:
    if not can_manage_stages(actor, tenant):
        raise NotAllowed(_("Only the brand's owners and administrators change this."))


def _ideas_of(ideas) -> list[Idea]:
    ideas = list(ideas)
    if not ideas:
        raise IdeaError(_("Choose at least one idea."), fields={"ideas": [_("Choose one.")]})
    return ideas


def _locked(tenant, ideas: list[Idea]) -> list[Idea]:
    return list(
        Idea.objects.select_for_update(of=("self",))
        .select_related("campaign", "author", "owner")
        .filter(tenant=tenant, pk__in=[i.pk for i in ideas])
        .order_by("pk")
    )


def _refusal(idea: Idea, stage: str) -> str | None:
    """Why `idea` may not move to `stage`, or None."""
    if idea.state != Idea.State.PUBLISHED:
        return _("“%(title)s” is not published: only published ideas get a stage.") % {
            "title": idea.title
        }
    if idea.stage != stage and stage not in STAGE_MOVES[idea.stage]:
        return _("“%(title)s” cannot go from %(from)s to %(to)s.") % {
            "title": idea.title,
            "from": Stage(idea.stage).label,
            "to": Stage(stage).label,
        }
    return None


def _refuse_moves(ideas: list[Idea], stage: str) -> None:
    refusals = [r for r in (_refusal(idea, stage) for idea in ideas) if r]
    if refusals:
        raise IdeaError(
            _("Nothing was changed: %(why)s") % {"why": " ".join(refusals)},
            code="stage_not_allowed",
            fields={"stage": refusals},
        )


def ideas_stage_check(*, ideas, actor, stage: str, note: str = "") -> str:
    """Every check of `ideas_stage_set`, nothing written (the console asks it
    before its confirmation). Returns the note as it would be kept."""
    ideas = _ideas_of(ideas)
    note = _check_stage_input(ideas, actor, stage, note)
    _refuse_moves(ideas, stage)
    return note


def _check_stage_input(ideas: list[Idea], actor, stage: str, note: str) -> str:
    _check_manager(actor, ideas[0].tenant)
    if stage not in STAGE_MOVES:
        raise IdeaError(_("Choose a stage."), fields={"stage": [_("Unknown stage.")]})
    note = clean_text(note or "")[:STAGE_NOTE_MAX] if stage == Stage.DECLINED else ""
    if stage == Stage.DECLINED and not note:
        raise IdeaError(
            _("Say why the idea is declined: its author and the public read this note."),
            fields={"note": [_("This field is required.")]},
        )
    return note


def ideas_stage_set(
    *, ideas, actor, stage: str, note: str = "", note_shown: bool = False
) -> dict[str, list[Idea]]:
    """Move ideas to `stage`: all of them, or none (every refusal is named).
    Declining needs a public note (the author and the public read it);
    `note_shown` lists the declined idea and its note on the challenge page.
    Ideas already at `stage` are left alone. Returns {"moved", "unchanged"}."""
    ideas = _ideas_of(ideas)
    tenant = ideas[0].tenant
    note = _check_stage_input(ideas, actor, stage, note)
    moved, unchanged = [], []
    with transaction.atomic():
        locked = _locked(tenant, ideas)
        _refuse_moves(locked, stage)  # as they are now, whatever the caller's copies say
        now = timezone.now()
        for idea in locked:
            if idea.stage == stage:
                unchanged.append(idea)
                continue
            previous = idea.stage
            idea.stage, idea.stage_note, idea.stage_changed_at = stage, note, now
            idea.stage_note_shown = bool(note_shown) and stage == Stage.DECLINED
            idea.save(update_fields=["stage", "stage_note", "stage_note_shown", "stage_changed_at"])
            entry = audit_record(
                actor=actor,
                action="idea.stage",
                target=idea,
                reason=note,
                data={"from": previous, "to": stage},
            )
            webhooks.idea_stage_changed(idea, previous=previous)
            _tell_people(idea, change=entry.pk)
            moved.append(idea)
    return {"moved": moved, "unchanged": unchanged}


def idea_stage_set(*, idea: Idea, actor, stage: str, note: str = "", note_shown=False) -> Idea:
    result = ideas_stage_set(
        ideas=[idea], actor=actor, stage=stage, note=note, note_shown=note_shown
    )
    return (result["moved"] or result["unchanged"])[0]


def _tell_people(idea: Idea, *, change: int) -> None:
    """The author, then the idea's followers, each in their language and as
    they chose to hear of it. Back to "no stage" (a correction) tells nobody."""
    if idea.stage == Stage.NONE:
        return
    context = {
        "idea_title": idea.title,
        "stage": idea.stage,
        "note": idea.stage_note,
        "url": idea.get_absolute_url(),
    }
    dedupe_key = f"idea.stage:{idea.public_id}:{change}"
    told = set()
    if idea.author is not None:
        notify(
            recipient=idea.author,
            event="idea.stage_changed",
            tenant=idea.tenant,
            context=context,
            dedupe_key=dedupe_key,
        )
        told.add(idea.author_id)
    notify_followers(
        target_type="idea",
        target_id=idea.public_id,
        event="idea.stage_changed",
        tenant=idea.tenant,
        context=context,
        exclude=told,
        dedupe_key=dedupe_key,
    )


# --- The owner ------------------------------------------------------------------------------


def ideas_owner_set(*, ideas, actor, owner) -> list[Idea]:
    """Give ideas to a member of the brand's console team (None: to nobody)."""
    ideas = _ideas_of(ideas)
    tenant = ideas[0].tenant
    _check_manager(actor, tenant)
    if owner is not None and not has_role(owner, tenant, *CONSOLE_ROLES):
        raise IdeaError(
            _("Choose someone on the brand's team."), fields={"owner": [_("Not on the team.")]}
        )
    changed = []
    with transaction.atomic():
        for idea in _locked(tenant, ideas):
            if idea.owner_id == (owner.pk if owner else None):
                continue
            previous = str(idea.owner.public_id) if idea.owner else None
            idea.owner = owner
            idea.save(update_fields=["owner"])
            audit_record(
                actor=actor,
                action="idea.owner",
                target=idea,
                reason=owner.public_name if owner else "",
                data={"from": previous, "to": str(owner.public_id) if owner else None},
            )
            changed.append(idea)
    return changed


# --- Labels -----------------------------------------------------------------------------------


def label_create(*, tenant, actor, name: str, colour: str = Label.Colour.GREY) -> Label:
    _check_manager(actor, tenant)
    name = clean_text(str(name or ""), single_line=True)
    if not name:
        raise IdeaError(_("Name the label."), fields={"name": [_("This field is required.")]})
    if len(name) > LABEL_NAME_MAX:
        raise IdeaError(
            _("A label's name has at most %(n)s characters.") % {"n": LABEL_NAME_MAX},
            fields={"name": [_("Too long.")]},
        )
    if colour not in Label.Colour.values:
        raise IdeaError(_("Choose a colour."), fields={"colour": [_("Unknown colour.")]})
    if Label.objects.filter(tenant=tenant).count() >= LABELS_MAX:
        raise IdeaError(_("At most %(n)s labels.") % {"n": LABELS_MAX}, code="too_many_labels")
    try:
        with transaction.atomic():
            label = Label.objects.create(tenant=tenant, name=name, colour=colour)
            audit_record(actor=actor, action="label.create", target=label, data={"name": name})
    except IntegrityError:
        raise IdeaError(
            _("A label named “%(name)s” exists already.") % {"name": name},
            code="label_exists",
            fields={"name": [_("Already used.")]},
        ) from None
    return label


def label_delete(*, label: Label, actor) -> None:
    """The label goes, and from every idea that wore it."""
    _check_manager(actor, label.tenant)
    with transaction.atomic():
        audit_record(actor=actor, action="label.delete", target=label, data={"name": label.name})
        label.delete()


def ideas_label_add(
    *, ideas, actor, label: Label | None = None, name: str = "", colour: str = Label.Colour.GREY
) -> list[Idea]:
    """Put a label on the ideas that lack it: `label`, or a new one named `name`
    (created here, in the same transaction). Returns the ideas it was added to."""
    ideas = _ideas_of(ideas)
    tenant = ideas[0].tenant
    _check_manager(actor, tenant)
    if label is not None and label.tenant_id != tenant.pk:
        label = None
    if label is None and not str(name or "").strip():
        raise IdeaError(_("Choose a label."), fields={"label": [_("Choose one.")]})
    with transaction.atomic():
        if label is None:
            label = label_create(tenant=tenant, actor=actor, name=name, colour=colour)
        locked = _locked(tenant, ideas)
        wearing = set(
            IdeaLabel.objects.filter(label=label, idea__in=locked).values_list("idea_id", flat=True)
        )
        added = [idea for idea in locked if idea.pk not in wearing]
        IdeaLabel.objects.bulk_create(
            [IdeaLabel(tenant=tenant, idea=idea, label=label) for idea in added]
        )
        for idea in added:
            audit_record(
                actor=actor, action="idea.label_add", target=idea, data={"label": label.name}
            )
    return added


def idea_label_remove(*, idea: Idea, actor, label: Label) -> None:
    _check_manager(actor, idea.tenant)
    with transaction.atomic():
        removed, _rows = IdeaLabel.objects.filter(idea=idea, label=label).delete()
        if removed:
            audit_record(
                actor=actor, action="idea.label_remove", target=idea, data={"label": label.name}
            )
