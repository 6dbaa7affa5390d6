"""Moderation: the brand's hold rules, whether a new or edited idea is published
or held, the queue's actions on ideas, flags on ideas."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.selectors import team_list
from accounts.services import audit_record
from core.errors import FieldErrors, NotAllowed
from core.permissions import has_role
from ideas.models import Comment, Flag, Idea, Media, ModerationRules
from ideas.services import webhooks
from ideas.services.attachments import _media_of
from ideas.services.common import (
    IdeaError,
    _check_action,
    _check_flag,
    _check_moderator,
    _flag_record,
    _resolve_flags,
    clean_text,
    is_author,
)
from ideas.services.search import trending_now
from notifications.services import notify

_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|es|fr|de|uk|co|info|"
    r"biz|xyz|ly|me|app|shop|online|site|eu|us|ru|cn)\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    """Lower case without accents, to match blocked words however they are typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def moderation_rules(tenant) -> ModerationRules:
    """The tenant's rules, or unsaved defaults (no blocked words, links held
    unless to the tenant's listed domains — none by default)."""
    rules = ModerationRules.objects.filter(tenant=tenant).first()
    return rules or ModerationRules(tenant=tenant)


def _link_domains(text: str) -> list[str]:
    domains = []
    for match in _LINK.findall(text):
        address = match if "://" in match else "https://" + match
        host = address.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].lower()
        domains.append(host.removeprefix("www."))
    return domains


def hold_reasons_for(text: str, *, rules: ModerationRules) -> list[str]:
    """The tenant's rules that hold this text for a moderator."""
    reasons = []
    folded = _fold(text)
    for word in rules.blocked_words:
        word = _fold(word.strip())
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            reasons.append(Idea.Hold.BLOCKED_WORD)
            break
    if rules.links != ModerationRules.Links.ALLOW:
        domains = _link_domains(text)
        if rules.links == ModerationRules.Links.HOLD_UNLISTED:
            allowed = {d.lower().removeprefix("www.") for d in rules.allowed_domains}
            domains = [
                d for d in domains if not any(d == a or d.endswith("." + a) for a in allowed)
            ]
        if domains:
            reasons.append(Idea.Hold.LINK)
    return reasons


def _settle(idea: Idea, *, submitting: bool = False) -> None:
    """Pending while a hold remains (its media processing included), else published.
    The brand's webhooks hear of a submission, then of a first publication."""
    first_publication = False
    reasons = [r for r in idea.hold_reasons if r != Idea.Hold.MEDIA]
    row = _media_of(idea)
    if row is not None and row.status == Media.Status.PROCESSING:
        reasons.append(Idea.Hold.MEDIA)
    idea.hold_reasons = reasons
    if reasons:
        idea.state = Idea.State.PENDING
    else:
        first_publication = idea.published_at is None
        idea.state = Idea.State.PUBLISHED
        idea.published_at = idea.published_at or timezone.now()
        idea.trending_score = trending_now(idea)
    idea.save(
        update_fields=[
            "state",
            "hold_reasons",
            "submitted_at",
            "round",
            "published_at",
            "trending_score",
            "updated_at",
        ]
    )
    if submitting:
        webhooks.idea_submitted(idea)
    if first_publication:
        webhooks.idea_published(idea)


def _tell_moderators(tenant) -> None:
    """Once a day at most (the brand's day, in its time zone), the team hears
    that contributions wait for a decision: held for review, or hidden by flags
    until a moderator looks. Nothing waiting, nobody told. Digests follow each
    person's preference."""
    held = Q(state=Idea.State.PENDING) | Q(
        state=Idea.State.HIDDEN, hold_reasons__contains=[Idea.Hold.FLAGS]
    )
    waiting = (
        Idea.objects.filter(held, tenant=tenant)
        .exclude(hold_reasons__contains=[Idea.Hold.MEDIA])
        .count()
        + Comment.objects.filter(held, tenant=tenant).count()
    )
    if not waiting:
        return
    day = timezone.localdate(timezone=zoneinfo.ZoneInfo(tenant.time_zone)).isoformat()
    for membership in team_list(tenant=tenant).exclude(role=Membership.Role.JUROR):
        notify(
            recipient=membership.user,
            event="moderation.queue_waiting",
            tenant=tenant,
            context={"waiting_count": waiting, "url": "/console/moderation/"},
            dedupe_key=f"moderation.queue_waiting:{day}",
        )


IDEA_MODERATION = {
    # action: (states it applies to, resulting state, event for the author)
    "approve": (
        (Idea.State.PENDING, Idea.State.HIDDEN, Idea.State.PUBLISHED),
        Idea.State.PUBLISHED,
        "idea.approved",
    ),
    "hide": ((Idea.State.PENDING, Idea.State.PUBLISHED), Idea.State.HIDDEN, "idea.hidden"),
    "reject": (
        (Idea.State.PENDING, Idea.State.HIDDEN, Idea.State.PUBLISHED),
        Idea.State.REJECTED,
        "idea.rejected",
    ),
}


def ideas_moderate(*, ideas, actor, action: str, reason: str = "") -> dict:
    """A moderator approves, hides or rejects ideas (one or many at once). Each
    decision is recorded; each author is told (with the reason). Ideas whose
    media is still processing, or in a state the action does not apply to,
    are left alone and counted as skipped."""
    ideas = list(ideas)
    if not ideas:
        raise IdeaError(_("Choose at least one idea."), fields={"ideas": [_("Choose one.")]})
    tenant = ideas[0].tenant
    _check_moderator(actor, tenant)
    reason = _check_action(action, reason)
    from_states, to_state, event = IDEA_MODERATION[action]
    done, skipped = [], []
    with transaction.atomic():
        locked = (
            Idea.objects.select_for_update()
            .filter(tenant=tenant, pk__in=[i.pk for i in ideas])
            .order_by("pk")
        )
        for idea in locked:
            if idea.state not in from_states or idea.is_processing:
                skipped.append(idea)
                continue
            previous = idea.state
            was_public = previous == Idea.State.PUBLISHED
            idea.state = to_state
            idea.moderation_reason = reason
            idea.hold_reasons = []
            if to_state == Idea.State.PUBLISHED:
                idea.published_at = idea.published_at or timezone.now()
            idea.flag_count = 0
            idea.save(
                update_fields=[
                    "state",
                    "moderation_reason",
                    "hold_reasons",
                    "published_at",
                    "flag_count",
                    "updated_at",
                ]
            )
            _resolve_flags(idea=idea)
            audit_record(
                actor=actor,
                action=f"idea.{action}",
                target=idea,
                reason=reason,
                data={"from": previous, "to": to_state},
            )
            done.append(idea)
            if to_state == Idea.State.PUBLISHED and not was_public:
                webhooks.idea_published(idea)
            elif to_state == Idea.State.HIDDEN:
                webhooks.idea_hidden(idea, reason=reason)
            approved_again = action == "approve" and was_public
            if idea.author is not None and not approved_again:
                notify(
                    recipient=idea.author,
                    event=event,
                    tenant=tenant,
                    context={
                        "idea_title": idea.title,
                        "reason": reason,
                        "url": idea.get_absolute_url()
                        if to_state == Idea.State.PUBLISHED
                        else "/ideas/mine/",
                    },
                )
    return {"done": done, "skipped": skipped}


def idea_flag(*, idea: Idea, reporter, reason: str, note: str = "") -> Flag:
    """A participant reports a published idea. At the challenge's threshold of
    unresolved flags, the idea is hidden pending review."""
    _check_flag(reporter, idea.tenant, reason, is_own=is_author(reporter, idea))
    if idea.state != Idea.State.PUBLISHED:
        raise IdeaError(_("This idea is already being reviewed."), code="not_published")
    with transaction.atomic():
        flag = _flag_record(
            idea,
            reporter=reporter,
            reason=reason,
            note=note,
            already=_("You already reported this idea: a moderator will look at it."),
        )
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        threshold = idea.campaign.flags_to_hide
        if threshold and idea.flag_count >= threshold and idea.state == Idea.State.PUBLISHED:
            idea.state = Idea.State.HIDDEN
            idea.hold_reasons = [Idea.Hold.FLAGS]
            idea.save(update_fields=["state", "hold_reasons", "updated_at"])
            webhooks.idea_hidden(idea, reason="flags")
            audit_record(
                actor=None,
                action="idea.auto_hide",
                target=idea,
                reason=_("%(n)s flags") % {"n": idea.flag_count},
                data={"flags": idea.flag_count, "threshold": threshold},
            )
            _tell_moderators(idea.tenant)
    return flag


# --- The tenant's rules ------------------------------------------------------------------


def moderation_rules_update(
    *, tenant, actor, blocked_words, links: str, allowed_domains
) -> ModerationRules:
    """Owners and administrators set the words and link rules that hold a
    contribution for review."""
    if not has_role(actor, tenant, Membership.Role.ADMIN):
        raise NotAllowed(_("Only owners and administrators change the moderation rules."))
    if isinstance(blocked_words, str):
        blocked_words = re.split(r"[,\n]", blocked_words)
    if isinstance(allowed_domains, str):
        allowed_domains = re.split(r"[,\s]+", allowed_domains)
    words = []
    for word in blocked_words or []:
        word = clean_text(str(word), single_line=True)[:60]
        if word and word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
    errors = FieldErrors()
    if links not in ModerationRules.Links.values:
        errors.add("links", _("Choose a rule for links."))
    domains = []
    for domain in allowed_domains or []:
        domain = str(domain).strip().lower().removeprefix("https://").removeprefix("http://")
        domain = domain.split("/", 1)[0].removeprefix("www.")
        if not domain:
            continue
        if not re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,63}", domain):
            errors.add("allowed_domains", _("“%(d)s” is not a domain name.") % {"d": domain})
        elif domain not in domains:
            domains.append(domain)
    if len(words) > 500:
        errors.add("blocked_words", _("At most 500 blocked words."))
    errors.raise_if_any(IdeaError)
    with transaction.atomic():
        rules, _created = ModerationRules.objects.select_for_update().get_or_create(tenant=tenant)
        rules.blocked_words, rules.links, rules.allowed_domains = words, links, domains
        rules.save(update_fields=["blocked_words", "links", "allowed_domains", "updated_at"])
        audit_record(
            actor=actor,
            action="moderation_rules.update",
            target=rules,
            data={"blocked_words": len(words), "links": links, "allowed_domains": domains},
        )
    return rules
