"""Co-authors: invited by a shared link, accepted, removed."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from core.errors import NotAllowed
from ideas.models import Coauthor, Idea
from ideas.services.common import COAUTHORS_MAX, IdeaError, _check_terms, is_author
from notifications.services import follow

# --- Co-authors --------------------------------------------------------------------------


def coauthor_invite(*, idea: Idea, actor) -> Coauthor:
    """The author makes an invitation link for a co-author (shared by them)."""
    if not is_author(actor, idea) or idea.state in (Idea.State.WITHDRAWN, Idea.State.MERGED):
        raise NotAllowed(_("Only the author can invite co-authors."))
    with transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        active = Coauthor.objects.filter(idea=idea).exclude(status=Coauthor.Status.REVOKED)
        if active.count() >= COAUTHORS_MAX:
            raise IdeaError(
                _("An idea has %(n)s co-authors at most.") % {"n": COAUTHORS_MAX},
                code="too_many_coauthors",
            )
        invitation = Coauthor.objects.create(
            tenant=idea.tenant, idea=idea, token=secrets.token_urlsafe(24), invited_by=actor
        )
        audit_record(actor=actor, action="idea.coauthor_invite", target=idea)
    return invitation


def coauthor_accept(*, invitation: Coauthor, user) -> Coauthor:
    idea = invitation.idea
    _check_terms(user, idea.tenant)
    if invitation.status != Coauthor.Status.INVITED:
        raise IdeaError(_("This invitation was already used or withdrawn."), code="invitation_used")
    if idea.author_id == user.pk:
        raise IdeaError(_("You are the author of this idea."), code="own_content")
    with transaction.atomic():
        invitation = Coauthor.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Coauthor.Status.INVITED:
            raise IdeaError(
                _("This invitation was already used or withdrawn."), code="invitation_used"
            )
        if Coauthor.objects.filter(idea=idea, user=user).exists():
            raise IdeaError(_("You are already a co-author of this idea."), code="already_coauthor")
        invitation.user = user
        invitation.status = Coauthor.Status.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["user", "status", "accepted_at"])
        follow(user=user, target_type="idea", target_id=idea.public_id, tenant=idea.tenant)
        audit_record(actor=user, action="idea.coauthor_accept", target=idea)
    return invitation


def coauthor_remove(*, coauthor: Coauthor, actor) -> Coauthor:
    idea = coauthor.idea
    if not (is_author(actor, idea) or coauthor.user_id == getattr(actor, "pk", None)):
        raise NotAllowed(_("Only the author can remove a co-author."))
    with transaction.atomic():
        coauthor.status = Coauthor.Status.REVOKED
        coauthor.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="idea.coauthor_remove",
            target=idea,
            data={"coauthor": str(coauthor.public_id)},
        )
    return coauthor
