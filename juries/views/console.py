"""The brand's side of the jury, in the console: who sits on each challenge's
jury (picked from the team), how it reviews, each round's shortlist with its
wildcards, progress and deadline, and the exports.

Everyone on the team (owner, admin, moderator) sees it; moderators add
wildcards; owners and admins seat jurors, change the settings and the
deadline, and export. Jurors get 403, people outside the team 404
(accounts.permissions).
"""

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Membership
from accounts.selectors import team_list
from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign, Round
from campaigns.pages import round_label
from core.errors import DomainError
from core.permissions import CONSOLE_ROLES, Role, console_view, require_role
from core.views import in_tenant_time_zone
from ideas.models import Idea
from juries import exports, selectors, services
from juries.models import Assignment, Jury, JuryMember

ADMIN = Role.ADMIN
MODERATOR = Role.MODERATOR


def _round_rows(campaign, shortlists: dict) -> list[dict]:
    """Each round with its shortlist, progress and decision (three queries)."""
    rounds = list(Round.objects.filter(campaign=campaign).order_by("index"))
    counts = (
        Assignment.objects.filter(round__campaign=campaign)
        .values_list("round_id", "state")
        .annotate(n=Count("id"))
    )
    progress = selectors.progress_rows(counts)
    decided = {d.round_id: d for d in selectors.decisions_of(campaign)}
    return [
        {
            "round": r,
            "label": round_label(campaign, r),
            "shortlist": shortlists.get(r.pk),
            "progress": progress.get(r.pk, selectors.Progress()),
            "decision": decided.get(r.pk),
        }
        for r in rounds
    ]


# --- Every challenge's jury -----------------------------------------------------


@require_GET
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def juries(request):
    campaigns = list(
        Campaign.objects.filter(tenant=request.tenant)
        .exclude(status=Campaign.Status.ARCHIVED)
        .order_by("-starts_at")
    )
    juries_by_campaign = {
        j.campaign_id: j
        for j in Jury.objects.filter(campaign__in=campaigns).annotate(
            seated=Count("members", distinct=True),
            chairs=Count("members", filter=Q(members__role=JuryMember.Role.CHAIR), distinct=True),
        )
    }
    in_review = dict(
        Round.objects.filter(campaign__in=campaigns, state=Round.State.IN_REVIEW)
        .values_list("campaign_id")
        .annotate(n=Count("id"))
    )
    rows = [
        {
            "campaign": c,
            "jury": juries_by_campaign.get(c.pk),
            "in_review": in_review.get(c.pk, 0),
        }
        for c in campaigns
    ]
    seated = JuryMember.objects.filter(tenant=request.tenant, user=request.user).exists()
    return render(request, "juries/console/juries.html", {"rows": rows, "seated": seated})


# --- One challenge's jury --------------------------------------------------------


def _settings_from(post) -> tuple[dict, dict]:
    changes, errors = {}, {}
    for name in ("review_days", "everyone_up_to", "jurors_per_idea"):
        raw = (post.get(name) or "").strip()
        if name == "jurors_per_idea" and raw == "":
            changes[name] = None
            continue
        try:
            changes[name] = int(raw)
        except ValueError:
            errors[name] = [_("Enter a whole number.")]
    changes["normalise"] = post.get("normalise") == "on"
    return changes, errors


def _jury_context(request, campaign, **extra) -> dict:
    jury = selectors.jury_of(campaign)
    members = selectors.members_of(jury)
    seated = {m.user_id for m in members}
    candidates = [m for m in team_list(tenant=request.tenant) if m.user_id not in seated]
    shortlists = selectors.shortlists_of(campaign)
    return {
        "campaign": campaign,
        "jury": jury or Jury(campaign=campaign, tenant=request.tenant),
        "members": members,
        "has_chair": any(m.is_chair for m in members),
        "candidates": candidates,
        "criteria": list(campaign.criteria.all()),
        "rounds": _round_rows(campaign, shortlists),
        "can_manage": request.user.has_perm("juries.manage_jury", request.tenant),
        "roles": JuryMember.Role.choices,
        **extra,
    }


def _member_for_console(jury, public_id) -> JuryMember:
    member = (
        JuryMember.objects.filter(jury=jury, public_id=public_id).select_related("user").first()
        if jury is not None and selectors.is_uuid(public_id)
        else None
    )
    if member is None:
        raise DomainError(_("This person does not sit on the jury."), code="not_member")
    return member


def _jury_post(request, campaign) -> str:
    """Run the form's action; returns the success message."""
    require_role(request, ADMIN)
    action = request.POST.get("action")
    jury = selectors.jury_of(campaign)
    if action == "member_add":
        membership = (
            Membership.objects.filter(
                tenant=request.tenant, public_id=request.POST.get("membership")
            )
            .select_related("user")
            .first()
            if selectors.is_uuid(request.POST.get("membership", ""))
            else None
        )
        services.jury_member_add(
            campaign=campaign,
            user=membership.user if membership else None,
            actor=request.user,
            role=request.POST.get("role", JuryMember.Role.MEMBER),
        )
        return _("%(name)s now sits on the jury.") % {"name": membership.user.public_name}
    if action == "member_role":
        member = _member_for_console(jury, request.POST.get("member", ""))
        services.jury_member_set_role(
            member=member, role=request.POST.get("role", ""), actor=request.user
        )
        return _("Role changed.")
    if action == "member_remove":
        member = _member_for_console(jury, request.POST.get("member", ""))
        services.jury_member_remove(member=member, actor=request.user)
        return _("%(name)s no longer sits on the jury.") % {"name": member.user.public_name}
    if action == "settings":
        changes, errors = _settings_from(request.POST)
        if errors:
            raise services.JuryError(next(iter(errors.values()))[0], fields=errors)
        services.jury_settings_update(campaign=campaign, actor=request.user, **changes)
        return _("Settings saved.")
    raise services.JuryError(_("Unknown action."))


@require_http_methods(["GET", "POST"])
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def jury(request, slug):
    campaign = campaign_selectors.campaign_for_console(request, slug)
    if request.method == "POST":
        try:
            message = _jury_post(request, campaign)
        except DomainError as error:
            context = _jury_context(
                request,
                campaign,
                error=error.message,
                fields=error.fields,
                action=request.POST.get("action"),
                posted=request.POST,
            )
            return render(request, "juries/console/jury.html", context, status=error.status)
        messages.success(request, message)
        return redirect("console:jury", slug=campaign.slug)
    return render(request, "juries/console/jury.html", _jury_context(request, campaign))


# --- One round's shortlist ---------------------------------------------------------


def _parse_deadline(raw: str, tenant) -> dt.datetime | None:
    value = parse_datetime((raw or "").strip())
    if value is None:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zoneinfo.ZoneInfo(tenant.time_zone))
    return value


def _round_context(request, campaign, round_, **extra) -> dict:
    shortlist = selectors.shortlists_of(campaign).get(round_.pk)
    context = {
        "campaign": campaign,
        "round": round_,
        "label": round_label(campaign, round_),
        "shortlist": shortlist,
        "can_manage": request.user.has_perm("juries.manage_jury", request.tenant),
        "can_add_wildcard": request.user.has_perm("juries.add_wildcard", request.tenant),
        **extra,
    }
    if shortlist is not None:
        context.update(
            {
                "entries": selectors.entries_of(shortlist),
                "by_juror": selectors.progress_by_juror(shortlist),
                "candidates": selectors.wildcard_candidates(shortlist)
                if round_.state == Round.State.IN_REVIEW
                else [],
                "decision": selectors.decision_of(round_),
                "criteria": selectors.criteria_of(shortlist),
                "may_export": selectors.may_see_scores(request.user, round_),
                "deadline_passed": selectors.deadline_passed(shortlist),
            }
        )
    return context


@require_http_methods(["GET", "POST"])
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def jury_round(request, slug, public_id):
    campaign = campaign_selectors.campaign_for_console(request, slug)
    round_ = campaign_selectors.round_for_console(request, public_id, campaign=campaign)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "wildcard":
                require_role(request, MODERATOR)
                raw = request.POST.get("idea", "")
                idea = (
                    Idea.objects.filter(campaign=campaign, public_id=raw).first()
                    if selectors.is_uuid(raw)
                    else None
                )
                if idea is None:
                    message = _("Choose an idea of the challenge.")
                    raise services.JuryError(message, fields={"idea": [message]})
                services.shortlist_add_wildcard(
                    round=round_, idea=idea, actor=request.user, reason=request.POST.get("reason")
                )
                done = _("“%(title)s” is on the shortlist.") % {"title": idea.title}
            elif action == "deadline":
                require_role(request, ADMIN)
                deadline = _parse_deadline(request.POST.get("deadline", ""), request.tenant)
                if deadline is None:
                    message = _("Enter a date and time.")
                    raise services.JuryError(message, fields={"deadline": [message]})
                services.shortlist_set_deadline(round=round_, deadline=deadline, actor=request.user)
                done = _("Deadline changed.")
            else:
                raise services.JuryError(_("Unknown action."))
        except DomainError as error:
            context = _round_context(
                request,
                campaign,
                round_,
                error=error.message,
                fields=error.fields,
                action=action,
                posted=request.POST,
            )
            return render(request, "juries/console/round.html", context, status=error.status)
        messages.success(request, done)
        return redirect("console:jury_round", slug=campaign.slug, public_id=round_.public_id)
    return render(request, "juries/console/round.html", _round_context(request, campaign, round_))


# --- Exports --------------------------------------------------------------------------


@require_GET
@console_view(ADMIN)
def scores_csv(request, slug, public_id):
    campaign = campaign_selectors.campaign_for_console(request, slug)
    round_ = campaign_selectors.round_for_console(request, public_id, campaign=campaign)
    shortlist = selectors.shortlists_of(campaign).get(round_.pk)
    if shortlist is None:
        raise Http404
    if not selectors.may_see_scores(request.user, round_):
        # An administrator who also sits on this jury sees the others' scores
        # once their own are in, like every juror.
        raise PermissionDenied
    return exports.scores_csv(shortlist)


@require_GET
@console_view(ADMIN)
def decisions_csv(request, slug):
    campaign = campaign_selectors.campaign_for_console(request, slug)
    return exports.decisions_csv(campaign)
