"""A juror's work: scores saved, an assignment submitted or recused."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns.models import Round
from juries.models import (
    Assignment,
    RoundCriterion,
    Score,
    Shortlist,
)
from juries.services.common import NOTE_MAX, JuryError, _clean_reason, _errors_raise
from juries.services.shortlist import _assign


def _assignment_for_update(assignment: Assignment, juror) -> Assignment:
    """The assignment locked, or JuryError: not this juror's, or the round is over."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round", "round__tenant")
        .filter(pk=assignment.pk, juror=juror)
        .first()
    )
    if locked is None:
        raise JuryError(_("This idea is not assigned to you."), code="not_assigned", fields={})
    if locked.round.state != Round.State.IN_REVIEW:
        raise JuryError(_("The jury of this round has decided."), code="decided")
    return locked


def _criteria_of(assignment: Assignment) -> list[RoundCriterion]:
    return list(
        RoundCriterion.objects.filter(shortlist__round_id=assignment.round_id).order_by(
            "position", "pk"
        )
    )


def _to_int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError


def score_save(
    *, assignment: Assignment, juror, values: dict | None = None, note=None
) -> Assignment:
    """Autosave: some of the juror's scores (criterion public id → a whole
    number within the criterion's scale, or None to clear it) and/or the private
    note. Only while the assignment waits for its scores."""
    values = values or {}
    with transaction.atomic():
        assignment = _assignment_for_update(assignment, juror)
        if assignment.state != Assignment.State.PENDING:
            message = (
                _("You declared a conflict of interest on this idea.")
                if assignment.state == Assignment.State.RECUSED
                else _("Your scores for this idea are submitted: they can no longer change.")
            )
            raise JuryError(message, code=f"assignment_{assignment.state}")
        criteria = {str(c.public_id): c for c in _criteria_of(assignment)}
        errors: dict[str, list[str]] = {}
        clean: dict[RoundCriterion, int | None] = {}
        for key, raw in values.items():
            criterion = criteria.get(str(key))
            if criterion is None:
                errors[str(key)] = [_("Unknown criterion.")]
                continue
            if raw is None or raw == "":
                clean[criterion] = None
                continue
            try:
                value = _to_int(raw)
            except ValueError:
                value = None
            if value is None or not criterion.scale_min <= value <= criterion.scale_max:
                errors[str(key)] = [
                    _("%(name)s: choose a score from %(low)s to %(high)s.")
                    % {
                        "name": criterion.name,
                        "low": criterion.scale_min,
                        "high": criterion.scale_max,
                    }
                ]
                continue
            clean[criterion] = value
        if note is not None:
            note = str(note)
            if len(note) > NOTE_MAX:
                errors["note"] = [_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}]
        _errors_raise(errors)
        for criterion, value in clean.items():
            if value is None:
                Score.objects.filter(assignment=assignment, criterion=criterion).delete()
            else:
                Score.objects.update_or_create(
                    assignment=assignment,
                    criterion=criterion,
                    defaults={"value": value, "tenant_id": assignment.tenant_id},
                )
        fields = ["updated_at"]
        if note is not None and note != assignment.note:
            assignment.note = note
            fields.append("note")
        assignment.save(update_fields=fields)
    return assignment


def assignment_submit(
    *, assignment: Assignment, juror, values: dict | None = None, note=None
) -> Assignment:
    """Submit the juror's scores for one idea, once every criterion has one.
    `values` and `note`, when given, are saved first, as the autosave would:
    they stay saved even when the submission is refused for a missing score.
    Submitting twice changes nothing."""
    if values or note is not None:
        current = Assignment.objects.filter(pk=assignment.pk).values_list("state", flat=True)
        if current and current[0] == Assignment.State.PENDING:
            score_save(assignment=assignment, juror=juror, values=values, note=note)
    with transaction.atomic():
        locked = _assignment_for_update(assignment, juror)
        if locked.state == Assignment.State.SUBMITTED:
            return locked
        if locked.state == Assignment.State.RECUSED:
            raise JuryError(
                _("You declared a conflict of interest on this idea."), code="assignment_recused"
            )
        criteria = _criteria_of(locked)
        scores = dict(Score.objects.filter(assignment=locked).values_list("criterion_id", "value"))
        missing = [c for c in criteria if c.pk not in scores]
        if missing:
            names = ", ".join(c.name for c in missing)
            message = _("Score every criterion before submitting (missing: %(names)s).") % {
                "names": names
            }
            raise JuryError(
                message,
                code="scores_missing",
                fields={str(c.public_id): [_("Choose a score.")] for c in missing},
            )
        locked.state = Assignment.State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        audit_record(
            actor=juror,
            action="jury.assignment_submit",
            target=locked,
            data={"scores": {c.name: scores[c.pk] for c in criteria}},
        )
    return locked


def assignment_recuse(*, assignment: Assignment, juror, reason: str) -> Assignment:
    """Declare a conflict of interest on an idea (before or after scoring it):
    the juror's scores on it are left out of its aggregate. When the round
    shares its ideas out, another juror takes the idea over."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=assignment.round_id)
        locked = _assignment_for_update(assignment, juror)
        if locked.state == Assignment.State.RECUSED:
            return locked
        locked.state = Assignment.State.RECUSED
        locked.recusal_reason = reason
        locked.recused_at = timezone.now()
        locked.save(update_fields=["state", "recusal_reason", "recused_at", "updated_at"])
        audit_record(
            actor=juror,
            action="jury.recuse",
            target=locked,
            reason=reason,
            data={"round": str(round_.public_id)},
        )
        shortlist = Shortlist.objects.select_related("jury").get(round=round_)
        if shortlist.jurors_per_idea:
            _assign(shortlist)
    return locked
