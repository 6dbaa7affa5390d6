"""What every juries service shares: the errors, limits and small helpers."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from campaigns.models import Campaign, Round
from campaigns.pages import round_label
from core.errors import DomainError
from juries.models import (
    Jury,
    JuryMember,
    Shortlist,
)
from notifications.services import notify

REASON_MAX = 2000


NOTE_MAX = 5000


REMINDER_BEFORE = dt.timedelta(hours=24)


LIMITS = {
    "review_days": (1, 60),
    "jurors_per_idea": (1, 50),
    "everyone_up_to": (1, 500),
}


class JuryError(DomainError):
    code = "jury_invalid"


class NotChair(DomainError):
    code = "not_chair"
    status = 403


def _errors_raise(fields: dict[str, list[str]]) -> None:
    if fields:
        first = next(iter(fields.values()))[0]
        raise JuryError(first, fields=fields)


def _clean_reason(reason, field: str = "reason") -> str:
    text = str(reason or "").strip()
    if not text:
        raise JuryError(
            _("Write the reason."), code="reason_required", fields={field: [_("Write the reason.")]}
        )
    if len(text) > REASON_MAX:
        message = _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}
        raise JuryError(message, fields={field: [message]})
    return text


# --- Round states (the round cycle's part the jury moves) ------------------------


def _round_move(round_: Round, *, to: str, from_states: tuple[str, ...]) -> bool:
    """Move the round to `to` if it is in one of `from_states`; True if it moved."""
    from campaigns.services import round_transition

    return round_transition(round=round_, to=to, from_states=from_states)


def _lock_round(round_: Round) -> Round:
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("campaign", "tenant")
        .get(pk=round_.pk)
    )


# --- Telling people -------------------------------------------------------------------


def _round_name(round_: Round, user) -> str:
    language = getattr(user, "language", "") or round_.campaign.tenant.default_language
    with translation.override(language):
        return f"{round_.campaign.title} · {round_label(round_.campaign, round_)}"


def _jury_url(round_: Round) -> str:
    return f"/jury/rounds/{round_.public_id}/"


def _tell_jurors_of_deadline(shortlist: Shortlist, jurors, *, event: str, dedupe_key: str) -> int:
    """Tell each juror about the shortlist they score and its deadline (the
    shortlist is ready, or the deadline is near), once per `dedupe_key`."""
    round_ = shortlist.round
    for juror in jurors:
        notify(
            recipient=juror,
            event=event,
            tenant=round_.tenant,
            context={
                "round_name": _round_name(round_, juror),
                "deadline": shortlist.deadline.isoformat(),
                "url": _jury_url(round_),
            },
            dedupe_key=dedupe_key,
        )
    return len(jurors)


def _users(ids) -> list:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=list(ids)).order_by("pk"))


def _is_member(shortlist: Shortlist, user) -> bool:
    return JuryMember.objects.filter(jury=shortlist.jury, user=user).exists()


def _chairs_or_managers(shortlist: Shortlist) -> list:
    chair = JuryMember.objects.filter(jury=shortlist.jury, role=JuryMember.Role.CHAIR).values_list(
        "user_id", flat=True
    )
    if chair:
        return _users(chair)
    managers = Membership.objects.filter(
        tenant=shortlist.tenant, role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
    ).values_list("user_id", flat=True)
    return _users(managers)


# --- The jury and its members ---------------------------------------------------


def jury_ensure(*, campaign: Campaign) -> Jury:
    """The challenge's jury, created with its defaults the first time."""
    jury = Jury.objects.filter(campaign=campaign).first()
    if jury is not None:
        return jury
    # Two first calls at once: the unique constraint lets one create it, and
    # get_or_create reads the other's.
    jury, _created = Jury.objects.get_or_create(
        campaign=campaign, defaults={"tenant_id": campaign.tenant_id}
    )
    return jury
