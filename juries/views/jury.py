"""The jurors' dashboard (/jury/): my rounds, my ideas to score, the scoring
page with autosave (htmx), submitting, conflicts of interest, and the chair's
aggregate and decision.

Who gets in: a signed-in member of the brand's team (juror, or a console role)
who sits on the jury of the round asked for. Anyone else gets 404, the same as
for a round that does not exist (juries.selectors).

Blind review: these pages never show an idea's author, their avatar, a link to
the idea's public page, or the name of an uploaded file (the templates get the
idea without its author, and the media's renditions, which are named by us).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.pages import round_label
from core.errors import DomainError
from core.views import in_tenant_time_zone
from ideas.video_links import embed_url
from juries import aggregation, exports, selectors, services
from juries.models import Assignment, Decision


def jury_view(view):
    """Signed in, in a tenant, on the brand's team; then the view's own 404s."""

    view_in_time_zone = in_tenant_time_zone(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.tenant is None:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.on_the_team(request):
            raise Http404
        return view_in_time_zone(request, *args, **kwargs)

    return wrapper


def _round_name(round_) -> str:
    return f"{round_.campaign.title} · {round_label(round_.campaign, round_)}"


def _values_from(post, criteria) -> dict:
    """The scores a form sent: field `score-<criterion id>` per criterion."""
    values = {}
    for criterion in criteria:
        key = f"score-{criterion.public_id}"
        if key in post:
            values[str(criterion.public_id)] = post.get(key)
    return values


# --- My rounds --------------------------------------------------------------------


@require_GET
@jury_view
def home(request):
    rounds = selectors.dashboard(request.user, request.tenant)
    for row in rounds:
        row.name = _round_name(row.round)
    return render(request, "juries/jury/home.html", {"rounds": rounds})


def _round_context(request, shortlist, member, **extra) -> dict:
    """The round's page. Its queries do not grow with the shortlist or the jury
    (tested): what one part reads, the next reuses (the person's assignments
    say whether they may see scores; the aggregate's rows give the jury's
    progress and whether the chair may decide)."""
    round_ = shortlist.round
    has_decision = getattr(shortlist, "has_decision", True)
    decision = selectors.decision_of(round_) if has_decision else None
    assignments = selectors.assignments_of(shortlist, request.user)
    criteria = selectors.criteria_of(shortlist)
    may_see_scores = selectors.may_see_scores(request.user, round_, assignments=assignments)
    context = {
        "shortlist": shortlist,
        "round": round_,
        "round_name": _round_name(round_),
        "campaign": round_.campaign,
        "member": member,
        "assignments": assignments,
        "criteria": criteria,
        "rules": aggregation.rules_text(),
        "decision": decision,
        "normalise": shortlist.jury.normalise,
        "deadline_passed": selectors.deadline_passed(shortlist),
        "may_see_scores": may_see_scores,
        **extra,
    }
    mine = selectors.Progress()
    for a in assignments:
        mine.total += 1
        mine.submitted += a.state == Assignment.State.SUBMITTED
        mine.recused += a.state == Assignment.State.RECUSED
    context["progress"] = mine
    if member.is_chair:
        seats = selectors.members_of(shortlist.jury)
        states = None
        if decision is None and may_see_scores:
            result = selectors.round_aggregate(
                shortlist, criteria=criteria, users={m.user_id: m.user for m in seats}
            )
            states = result.assignment_states
            context["aggregate"] = result
            context["places"] = range(1, selectors.prize_places(round_) + 1)
            context["decidable"] = selectors.decidable(
                shortlist, request.user, assignment_states=states
            )
        context["by_juror"] = selectors.progress_by_juror(
            shortlist, seats=seats, assignment_states=states
        )
    if decision is not None:
        context["frozen"] = decision.aggregate
        context["winner_entries"] = {
            row["idea"]: row for row in decision.aggregate.get("ideas", [])
        }
    return context


@require_GET
@jury_view
def round_page(request, public_id):
    shortlist, member = selectors.round_for_member(request, public_id)
    return render(request, "juries/jury/round.html", _round_context(request, shortlist, member))


# --- Scoring one idea ---------------------------------------------------------------


def _assignment_context(request, assignment, *, errors=None, message=None, posted=None) -> dict:
    shortlist = assignment.entry.shortlist
    criteria = selectors.criteria_of(shortlist)
    saved = selectors.scores_of(assignment)
    rows = []
    for criterion in criteria:
        value = saved.get(criterion.pk)
        if posted is not None:
            raw = posted.get(f"score-{criterion.public_id}")
            value = int(raw) if raw and raw.lstrip("-").isdigit() else value
        rows.append(
            {
                "criterion": criterion,
                "value": value,
                "errors": (errors or {}).get(str(criterion.public_id), []),
            }
        )
    place = selectors.place_of(assignment)
    idea = assignment.idea
    media = getattr(idea, "media", None)
    context = {
        "assignment": assignment,
        "idea": idea,
        "media": media if media is not None and media.is_ready else None,
        "embed_url": embed_url(idea.video_provider, idea.video_ref) if idea.video_ref else "",
        "round": assignment.round,
        "round_name": _round_name(assignment.round),
        "shortlist": shortlist,
        "rows": rows,
        "scored": sum(1 for r in rows if r["value"] is not None),
        "place": place,
        "others": selectors.others_scores(assignment),
        "errors": errors or {},
        "error": message,
        "note": posted.get("note", assignment.note) if posted is not None else assignment.note,
        "guidance": assignment.round.campaign.jury_guidance,
        "author_name": _author_name(assignment),
        "editable": assignment.state == Assignment.State.PENDING
        and assignment.round.state == "in_review",
        "decided": assignment.round.state != "in_review",
    }
    return context


def _author_name(assignment) -> str:
    """The author's public name, only when the challenge's review is not blind."""
    campaign = assignment.round.campaign
    if campaign.jury_blind:
        return ""
    from accounts.selectors import public_names
    from ideas.models import Idea

    author_id = Idea.objects.filter(pk=assignment.idea_id).values_list("author_id", flat=True)[0]
    if author_id is None:
        return ""
    return public_names(tenant=campaign.tenant, user_ids=[author_id]).get(author_id, "")


@require_GET
@jury_view
def assignment_page(request, public_id):
    assignment = selectors.assignment_for_juror(request, public_id)
    return render(request, "juries/jury/assignment.html", _assignment_context(request, assignment))


@require_POST
@jury_view
def assignment_save(request, public_id):
    """Autosave (htmx: answers the status line) or the "Save" button (redirects)."""
    assignment = selectors.assignment_for_juror(request, public_id)
    criteria = selectors.criteria_of(assignment.entry.shortlist)
    try:
        assignment = services.score_save(
            assignment=assignment,
            juror=request.user,
            values=_values_from(request.POST, criteria),
            note=request.POST.get("note"),
        )
    except DomainError as error:
        if request.htmx:
            return render(
                request,
                "juries/jury/_save_status.html",
                {"error": error.message},
                status=400,
            )
        context = _assignment_context(
            request, assignment, errors=error.fields, message=error.message, posted=request.POST
        )
        return render(request, "juries/jury/assignment.html", context, status=400)
    if request.htmx:
        scored = len(selectors.scores_of(assignment))
        return render(
            request,
            "juries/jury/_save_status.html",
            {"saved_at": assignment.updated_at, "scored": scored, "total": len(criteria)},
        )
    messages.success(request, _("Saved."))
    return redirect("jury:assignment", public_id=assignment.public_id)


def _after(assignment):
    following = selectors.next_pending(assignment)
    if following is not None:
        return redirect("jury:assignment", public_id=following.public_id)
    return redirect("jury:round", public_id=assignment.round.public_id)


@require_POST
@jury_view
def assignment_submit(request, public_id):
    assignment = selectors.assignment_for_juror(request, public_id)
    criteria = selectors.criteria_of(assignment.entry.shortlist)
    try:
        services.assignment_submit(
            assignment=assignment,
            juror=request.user,
            values=_values_from(request.POST, criteria),
            note=request.POST.get("note"),
        )
    except DomainError as error:
        assignment.refresh_from_db()
        context = _assignment_context(
            request, assignment, errors=error.fields, message=error.message, posted=request.POST
        )
        return render(request, "juries/jury/assignment.html", context, status=400)
    messages.success(
        request, _("Your scores for “%(title)s” are submitted.") % {"title": assignment.idea.title}
    )
    return _after(assignment)


@require_POST
@jury_view
def assignment_recuse(request, public_id):
    assignment = selectors.assignment_for_juror(request, public_id)
    try:
        services.assignment_recuse(
            assignment=assignment, juror=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        context = _assignment_context(
            request, assignment, errors=error.fields, message=error.message
        )
        context["recuse_open"] = True
        context["recuse_reason"] = request.POST.get("reason", "")
        return render(request, "juries/jury/assignment.html", context, status=400)
    messages.success(
        request,
        _("Conflict of interest recorded: you are left out of this idea's aggregate."),
    )
    return _after(assignment)


# --- The chair's decision ----------------------------------------------------------


@require_POST
@jury_view
def decide(request, public_id):
    shortlist, member = selectors.round_for_member(request, public_id)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            decision = services.decision_confirm(round=shortlist.round, actor=request.user)
        elif action == "override":
            ids = [
                request.POST.get(f"winner-{place}", "")
                for place in range(1, selectors.prize_places(shortlist.round) + 1)
            ]
            ids = [i for i in ids if i]
            decision = services.decision_override(
                round=shortlist.round,
                actor=request.user,
                winners=selectors.entries_for_decision(shortlist, ids),
                reason=request.POST.get("reason", ""),
            )
        else:
            raise services.JuryError(_("Choose to confirm or to override."))
    except DomainError as error:
        context = _round_context(
            request,
            shortlist,
            member,
            decision_error=error.message,
            decision_fields=error.fields,
            posted=request.POST,
        )
        return render(request, "juries/jury/round.html", context, status=error.status)
    messages.success(
        request,
        _("Decision recorded: %(kind)s.") % {"kind": Decision.Kind(decision.kind).label},
    )
    return redirect("jury:round", public_id=shortlist.round.public_id)


@require_GET
@jury_view
def scores_csv(request, public_id):
    shortlist, _member = selectors.round_for_member(request, public_id)
    if not selectors.may_see_scores(request.user, shortlist.round):
        raise Http404
    return exports.scores_csv(shortlist)
