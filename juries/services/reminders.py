"""Reminders: to jurors before the deadline, to the chair once it has passed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Round
from juries.models import (
    Assignment,
    Shortlist,
)
from juries.services.common import (
    REMINDER_BEFORE,
    _chairs_or_managers,
    _is_member,
    _jury_url,
    _round_name,
    _tell_jurors_of_deadline,
    _users,
)
from notifications.services import notify


def reminders_send(*, shortlist: Shortlist, now: dt.datetime | None = None) -> int:
    """Tell jurors with ideas still to score, 24 hours before the deadline, and
    the chair (or, without one, the brand's owners and admins) once the deadline
    has passed with scores missing. Each message goes once per deadline (dedupe
    keys): running it again tells nobody twice. Returns the messages created."""
    now = now or timezone.now()
    shortlist = Shortlist.objects.select_related(
        "round", "round__campaign", "round__tenant", "jury"
    ).get(pk=shortlist.pk)
    round_ = shortlist.round
    if round_.state != Round.State.IN_REVIEW:
        return 0
    late = list(
        Assignment.objects.filter(round=round_, state=Assignment.State.PENDING)
        .values("juror_id")
        .annotate(n=Count("id"))
        .values_list("juror_id", flat=True)
    )
    if not late:
        return 0
    stamp = int(shortlist.deadline.timestamp())
    sent = 0
    with transaction.atomic():
        if shortlist.deadline - REMINDER_BEFORE <= now < shortlist.deadline:
            sent += _tell_jurors_of_deadline(
                shortlist,
                _users(late),
                event="jury.deadline_reminder",
                dedupe_key=f"jury.deadline_reminder:{round_.public_id}:{stamp}",
            )
        elif now >= shortlist.deadline:
            for person in _chairs_or_managers(shortlist):
                notify(
                    recipient=person,
                    event="jury.jurors_late",
                    tenant=round_.tenant,
                    context={
                        "round_name": _round_name(round_, person),
                        "late_count": len(late),
                        "url": _jury_url(round_)
                        if _is_member(shortlist, person)
                        else f"/console/challenges/{round_.campaign.slug}/jury/",
                    },
                    dedupe_key=f"jury.jurors_late:{round_.public_id}:{stamp}",
                )
                sent += 1
    return sent


def shortlists_due_for_reminders(now: dt.datetime | None = None) -> Q:
    """The filter of shortlists a reminder may be due for (the beat task's)."""
    now = now or timezone.now()
    return Q(round__state=Round.State.IN_REVIEW, deadline__lte=now + REMINDER_BEFORE)
