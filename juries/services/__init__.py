"""Every write of the juries app, one module per topic; import from here.

common.py      the errors, limits and small helpers every module shares
seats.py       the jury of a challenge: settings, members and their roles
shortlist.py   the round's shortlist: built from the frozen ranking, wildcards, assignments
scoring.py     a juror's scores: saved, submitted, recused
decisions.py   the chair's decision: confirmed or overridden
reminders.py   reminders before the deadline and to the chair after it
"""

from juries.services.common import (
    LIMITS,
    NOTE_MAX,
    REASON_MAX,
    REMINDER_BEFORE,
    JuryError,
    NotChair,
    jury_ensure,
)
from juries.services.decisions import decision_confirm, decision_override
from juries.services.reminders import reminders_send, shortlists_due_for_reminders
from juries.services.scoring import assignment_recuse, assignment_submit, score_save
from juries.services.seats import (
    jury_member_add,
    jury_member_remove,
    jury_member_set_role,
    jury_settings_update,
    may_sit_on_jury,
)
from juries.services.shortlist import (
    BUILDABLE_STATES,
    shortlist_add_wildcard,
    shortlist_build,
    shortlist_pick,
    shortlist_set_deadline,
)

__all__ = [
    "BUILDABLE_STATES",
    "LIMITS",
    "NOTE_MAX",
    "REASON_MAX",
    "REMINDER_BEFORE",
    "JuryError",
    "NotChair",
    "assignment_recuse",
    "assignment_submit",
    "decision_confirm",
    "decision_override",
    "jury_ensure",
    "jury_member_add",
    "jury_member_remove",
    "jury_member_set_role",
    "jury_settings_update",
    "may_sit_on_jury",
    "reminders_send",
    "score_save",
    "shortlist_add_wildcard",
    "shortlist_build",
    "shortlist_pick",
    "shortlist_set_deadline",
    "shortlists_due_for_reminders",
]
