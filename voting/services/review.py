"""The fraud review: quarantined votes accepted or voided, ideas disqualified
and requalified."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns.models import Campaign
from ideas.models import Idea
from voting.models import (
    Disqualification,
    Vote,
)
from voting.services.common import (
    VoteError,
    _advisory_locks,
    _check_moderator,
    _clean_reason,
    _user,
)
from voting.services.counters import counters_adjust
from voting.services.rankings import _correct_snapshots, _freeze_due_rounds, _mark_in_snapshots

# --- Moderators' decisions -------------------------------------------------------------------

ACCEPT, VOID = "accept", "void"


DECISIONS = {
    # action: (statuses it applies to, the status it sets)
    ACCEPT: ((Vote.Status.QUARANTINED, Vote.Status.VOID), Vote.Status.COUNTED),
    VOID: ((Vote.Status.QUARANTINED, Vote.Status.COUNTED), Vote.Status.VOID),
}


def votes_decide(*, votes, actor, action: str, reason: str = "", tenant=None) -> dict:
    """A moderator accepts votes (they count from now on: quarantined, or void
    by mistake) or voids them (they stop counting), in bulk. Counters and the
    frozen rankings of their rounds are corrected, and every decision is on
    record (one audit entry per idea). Votes already in the status asked for
    are skipped. Returns {"done": [...], "skipped": [...]} (votes)."""
    votes = list(votes)
    tenant = tenant or (votes[0].tenant if votes else None)
    if tenant is None:
        return {"done": [], "skipped": []}
    _check_moderator(actor, tenant)
    if action not in DECISIONS:
        message = _("Choose accept or void.")
        raise VoteError(message, fields={"action": [message]})
    reason = _clean_reason(reason)
    if action == VOID and not reason:
        raise VoteError(
            _("Say why these votes are void (kept on record)."),
            fields={"reason": [_("A reason is required to void votes.")]},
        )
    if not votes:
        raise VoteError(_("Select at least one vote."), code="nothing_selected")
    applies_to, new_status = DECISIONS[action]
    now = timezone.now()
    campaign_ids = set(
        Idea.objects.filter(pk__in={v.idea_id for v in votes}).values_list("campaign_id", flat=True)
    )
    for campaign in Campaign.objects.filter(pk__in=campaign_ids):
        _freeze_due_rounds(campaign, now)
    with transaction.atomic():
        _advisory_locks(counters_shared=campaign_ids)
        locked = list(
            Vote.objects.select_for_update()
            .filter(tenant=tenant, pk__in=[v.pk for v in votes])
            .select_related("idea")
            .order_by("pk")
        )
        done = [v for v in locked if v.status in applies_to]
        skipped = [v for v in locked if v.status not in applies_to]
        if done:
            changes = []
            for vote in done:
                was_counted = vote.is_counted
                previous = vote.status
                vote.status = new_status
                vote.evidence = {
                    **vote.evidence,
                    "review": {"decision": action, "from": previous, "at": now.isoformat()},
                }
                if was_counted:
                    changes.append((vote, -1))
                elif new_status == Vote.Status.COUNTED:
                    changes.append((vote, +1))
            Vote.objects.bulk_update(done, ["status", "evidence"])
            counters_adjust(changes)
            for delta in (-1, +1):
                _correct_snapshots(
                    [v for v, d in changes if d == delta],
                    delta=delta,
                    cause=f"vote.{action}",
                    actor=actor,
                    reason=reason,
                )
            by_idea = defaultdict(list)
            for vote in done:
                by_idea[vote.idea_id].append(vote)
            for idea_votes in by_idea.values():
                audit_record(
                    actor=actor,
                    action=f"vote.{action}",
                    target=idea_votes[0].idea,
                    reason=reason,
                    data={
                        "votes": [str(v.public_id) for v in idea_votes],
                        "count": len(idea_votes),
                    },
                )
    return {"done": done, "skipped": skipped}


def idea_disqualify(*, idea: Idea, actor, reason: str) -> Disqualification:
    """A moderator takes an idea out of the vote: it leaves the live and frozen
    rankings (corrected, on record) and takes no more votes. Idempotent."""
    _check_moderator(actor, idea.tenant)
    reason = _clean_reason(reason)
    if not reason:
        raise VoteError(
            _("Say why the idea is disqualified (kept on record)."),
            fields={"reason": [_("A reason is required.")]},
        )
    with transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        existing = Disqualification.objects.filter(tenant=idea.tenant, idea=idea).first()
        if existing is not None:
            return existing
        disqualification = Disqualification.objects.create(
            tenant=idea.tenant, idea=idea, reason=reason, decided_by=_user(actor)
        )
        _mark_in_snapshots(idea, disqualified=True, actor=actor, reason=reason)
        audit_record(actor=actor, action="idea.disqualify", target=idea, reason=reason)
    return disqualification


def idea_requalify(*, idea: Idea, actor, reason: str = "") -> bool:
    """Undo a disqualification: the idea takes votes and is ranked again."""
    _check_moderator(actor, idea.tenant)
    reason = _clean_reason(reason)
    with transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        deleted, _rows = Disqualification.objects.filter(tenant=idea.tenant, idea=idea).delete()
        if not deleted:
            return False
        _mark_in_snapshots(idea, disqualified=False, actor=actor, reason=reason)
        audit_record(actor=actor, action="idea.requalify", target=idea, reason=reason)
    return True
