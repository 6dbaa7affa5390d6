"""The jury's part of a round's life, plugged into the round cycle
(campaigns/round_cycle.py) from JuriesConfig.ready():

    review_start     the shortlist is built from the frozen ranking, jurors assigned
    decision_due     in-review rounds worth a look: a decision made, or an empty
                     shortlist past its deadline
    decision_ready   the same question for one round
    deciding         a review closed with nothing to judge is recorded in the trail

The chair's decision itself moves the round to decided (services.decision_confirm);
the cycle notices one that did not, and closes an empty review at its deadline.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from accounts.services import audit_record
from campaigns.models import Round
from juries import services
from juries.models import Decision, Shortlist, ShortlistEntry


def review_start(round_: Round, now: dt.datetime) -> None:
    services.shortlist_build(round=round_, now=now)


def decision_due(now: dt.datetime) -> Q:
    decided = Decision.objects.filter(round=OuterRef("pk"))
    entries = ShortlistEntry.objects.filter(shortlist__round=OuterRef("pk"))
    lapsed = Shortlist.objects.filter(round=OuterRef("pk"), deadline__lte=now)
    return Q(Exists(decided)) | (~Q(Exists(entries)) & Q(Exists(lapsed)))


def _nothing_to_judge(round_: Round, now: dt.datetime) -> Shortlist | None:
    shortlist = Shortlist.objects.filter(round=round_).first()
    if shortlist is None or shortlist.deadline > now or shortlist.entries.exists():
        return None
    return shortlist


def decision_ready(round_: Round, now: dt.datetime) -> bool:
    if Decision.objects.filter(round=round_).exists():
        return True
    return _nothing_to_judge(round_, now) is not None


def deciding(round_: Round, now: dt.datetime) -> None:
    if Decision.objects.filter(round=round_).exists():
        return
    shortlist = _nothing_to_judge(round_, now)
    if shortlist is not None:
        audit_record(
            actor=None,
            action="round.nothing_to_judge",
            target=round_,
            data={"deadline": shortlist.deadline.isoformat()},
        )
