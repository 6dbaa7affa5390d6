"""The jury's section of people's own data (see accounts.personal_data).

A juror's export holds their seats, their scores, private notes and declared
conflicts of interest, and the decisions they made as chair. When they leave,
their seats and assignments go; the decisions already made keep their frozen
aggregate, with the juror's name replaced. When an author leaves and asks for
their content to be removed, their ideas' titles leave the frozen aggregates too.
"""

from django.utils.translation import gettext as _

from accounts import personal_data
from ideas.models import Idea
from juries.models import Assignment, Decision, JuryMember


def _iso(value):
    return value.isoformat() if value else None


def jury_export(*, user, tenant):
    seats = JuryMember.objects.filter(tenant=tenant, user=user).select_related("jury__campaign")
    assignments = (
        Assignment.objects.filter(tenant=tenant, juror=user)
        .select_related("round", "round__campaign", "idea")
        .prefetch_related("scores__criterion")
        .order_by("created_at", "pk")
    )
    decisions = Decision.objects.filter(tenant=tenant, decided_by=user).select_related(
        "round__campaign"
    )
    return {
        "seats": [
            {"challenge": s.jury.campaign.title, "role": s.role, "since": _iso(s.created_at)}
            for s in seats
        ],
        "assignments": [
            {
                "challenge": a.round.campaign.title,
                "round": a.round.index,
                "idea": a.idea.title,
                "state": a.state,
                "scores": {s.criterion.name: s.value for s in a.scores.all()},
                "note": a.note,
                "conflict_of_interest": a.recusal_reason,
                "submitted_at": _iso(a.submitted_at),
            }
            for a in assignments
        ],
        "decisions": [
            {
                "challenge": d.round.campaign.title,
                "round": d.round.index,
                "kind": d.kind,
                "reason": d.reason,
                "decided_at": _iso(d.decided_at),
            }
            for d in decisions
        ],
    }


def _scrub_decisions(decisions, *, juror_id: str = "", idea_ids: set[str] = frozenset()) -> None:
    former_juror = _("Former juror")
    removed = _("Removed idea")
    for decision in decisions:
        for row in decision.scores:
            if juror_id and row.get("juror") == juror_id:
                row["juror_name"] = former_juror
        for row in decision.aggregate.get("jurors", []):
            if juror_id and row.get("juror") == juror_id:
                row["name"] = former_juror
        titles = {}
        for row in decision.aggregate.get("ideas", []):
            if row.get("idea") in idea_ids:
                row["title"] = removed
                titles[row.get("entry")] = removed
        for row in decision.scores:
            if row.get("entry") in titles:
                row["idea_title"] = removed
        decision.save(update_fields=["scores", "aggregate"])


def jury_erase(*, user, tenant, mode):
    juror_id = str(user.public_id)
    idea_ids: set[str] = set()
    if mode == personal_data.REMOVE:
        idea_ids = {
            str(pid)
            for pid in Idea.objects.filter(tenant=tenant, author=user).values_list(
                "public_id", flat=True
            )
        }
    decisions = Decision.objects.filter(tenant=tenant)
    if not idea_ids:  # only the decisions the juror took part in
        decisions = decisions.filter(aggregate__jurors__contains=[{"juror": juror_id}])
    _scrub_decisions(list(decisions), juror_id=juror_id, idea_ids=idea_ids)
    Assignment.objects.filter(tenant=tenant, juror=user).delete()
    JuryMember.objects.filter(tenant=tenant, user=user).delete()
