"""The jury of a challenge: its settings, its members and their roles."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns.models import Campaign
from core.permissions import role_of
from juries.models import (
    Assignment,
    Jury,
    JuryMember,
)
from juries.services.common import LIMITS, JuryError, _errors_raise, jury_ensure
from juries.services.shortlist import _assign, _shortlists_in_review


def jury_settings_update(*, campaign: Campaign, actor, **changes) -> Jury:
    """Change how the jury reviews: `review_days`, `jurors_per_idea` (None: every
    juror scores every idea), `everyone_up_to` and `normalise`. Rounds already
    in review keep how their ideas were shared out; normalisation applies to
    every round not decided yet."""
    allowed = {"review_days", "jurors_per_idea", "everyone_up_to", "normalise"}
    unknown = set(changes) - allowed
    if unknown:
        raise JuryError(
            _("Unknown setting."), fields={name: [_("Unknown setting.")] for name in unknown}
        )
    errors: dict[str, list[str]] = {}
    for name, (low, high) in LIMITS.items():
        if name not in changes:
            continue
        value = changes[name]
        if value is None and name == "jurors_per_idea":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [
                _("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            ]
    if "normalise" in changes and not isinstance(changes["normalise"], bool):
        errors["normalise"] = [_("Choose yes or no.")]
    _errors_raise(errors)
    jury = jury_ensure(campaign=campaign)
    with transaction.atomic():
        jury = Jury.objects.select_for_update().get(pk=jury.pk)
        changed = {k: v for k, v in changes.items() if getattr(jury, k) != v}
        if not changed:
            return jury
        for name, value in changed.items():
            setattr(jury, name, value)
        jury.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="jury.settings", target=jury, data=dict(changed))
    return jury


def may_sit_on_jury(user, tenant) -> bool:
    """Jurors and the console's roles (owner, admin, moderator) may sit on a jury:
    everyone on the brand's team, invited through the team feature."""
    return role_of(user, tenant) is not None


def jury_member_add(
    *, campaign: Campaign, user, actor, role: str = JuryMember.Role.MEMBER
) -> JuryMember:
    """Seat a person of the brand's team on the challenge's jury. A new chair
    replaces the previous one (who stays a member). A member added while a round
    is in review gets that round's ideas to score too."""
    if role not in JuryMember.Role.values:
        raise JuryError(
            _("Choose chair or member."), fields={"role": [_("Choose chair or member.")]}
        )
    if user is None or not may_sit_on_jury(user, campaign.tenant):
        message = _("Only people on the brand's team can sit on the jury: invite them first.")
        raise JuryError(message, code="not_on_team", fields={"user": [message]})
    jury = jury_ensure(campaign=campaign)
    with transaction.atomic():
        jury = (
            Jury.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=jury.pk)
        )
        if JuryMember.objects.filter(jury=jury, user=user).exists():
            message = _("This person already sits on the jury.")
            raise JuryError(message, code="already_member", fields={"user": [message]})
        seats = jury.campaign.jury_size
        if JuryMember.objects.filter(jury=jury).count() >= seats:
            message = _(
                "The jury has its %(n)s seats taken. Remove a member first, or change the "
                "jury's size in the challenge's settings."
            ) % {"n": seats}
            raise JuryError(message, code="jury_full", fields={"user": [message]})
        if role == JuryMember.Role.CHAIR:
            JuryMember.objects.filter(jury=jury, role=JuryMember.Role.CHAIR).update(
                role=JuryMember.Role.MEMBER
            )
        member = JuryMember.objects.create(tenant=jury.tenant, jury=jury, user=user, role=role)
        audit_record(
            actor=actor,
            action="jury.member_add",
            target=jury,
            data={"user": str(user.public_id), "role": role},
        )
        for shortlist in _shortlists_in_review(jury):
            _assign(shortlist)
    return member


def jury_member_set_role(*, member: JuryMember, role: str, actor) -> JuryMember:
    if role not in JuryMember.Role.values:
        raise JuryError(
            _("Choose chair or member."), fields={"role": [_("Choose chair or member.")]}
        )
    with transaction.atomic():
        member = (
            JuryMember.objects.select_for_update(of=("self",))
            .select_related("jury", "user")
            .get(pk=member.pk)
        )
        if member.role == role:
            return member
        if role == JuryMember.Role.CHAIR:
            JuryMember.objects.filter(jury=member.jury, role=JuryMember.Role.CHAIR).update(
                role=JuryMember.Role.MEMBER
            )
        member.role = role
        member.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action="jury.member_role",
            target=member.jury,
            data={"user": str(member.user.public_id), "role": role},
        )
    return member


def jury_member_remove(*, member: JuryMember, actor) -> None:
    """Take a member off the jury. Their ideas not scored yet in rounds under
    review go to the other jurors (when the round shares its ideas out); what
    they submitted stays in those rounds' aggregates."""
    with transaction.atomic():
        member = (
            JuryMember.objects.select_for_update(of=("self",))
            .select_related("jury", "user")
            .get(pk=member.pk)
        )
        jury = member.jury
        shortlists = _shortlists_in_review(jury)
        Assignment.objects.filter(
            round__in=[s.round_id for s in shortlists],
            juror=member.user,
            state=Assignment.State.PENDING,
        ).delete()
        audit_record(
            actor=actor,
            action="jury.member_remove",
            target=jury,
            data={"user": str(member.user.public_id), "role": member.role},
        )
        member.delete()
        for shortlist in shortlists:
            _assign(shortlist)
