"""The moderators' side of votes: the review of quarantined votes with their
evidence (bulk accept or void), the rankings of every round, and taking an
idea out of the vote."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Membership
from accounts.selectors import public_names
from campaigns import lifecycle
from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from campaigns.pages import round_label
from core.errors import DomainError
from core.permissions import console_view
from core.views import in_tenant_time_zone, run_and_say, valid_uuids
from ideas import selectors as idea_selectors
from voting import risk, selectors, services
from voting.models import Vote

MODERATOR = Membership.Role.MODERATOR
# "Every vote matching the filter" acts on this many at most per click.
BULK_MAX = 5000


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    # A path: anything else would be read as a URL name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def _explain(votes: list[Vote], tenant) -> None:
    """What the review table shows of each vote: the voter's public name and
    the signals in words."""
    names = public_names(tenant=tenant, user_ids=[v.voter_id for v in votes])
    for vote in votes:
        vote.voter_name = names.get(vote.voter_id, "")
        vote.signals = [
            {**signal, "label": risk.SIGNALS.get(signal.get("code"), signal.get("code"))}
            for signal in vote.evidence.get("signals", [])
        ]


@console_view(MODERATOR)
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def review(request):
    query = selectors.ReviewQuery.from_params(request.GET)
    error = None
    if request.method == "POST":
        if request.POST.get("scope") == "matching":
            votes = list(
                selectors.review_votes(tenant=request.tenant, query=query).order_by("pk")[:BULK_MAX]
            )
        else:
            votes = selectors.votes_for_review(
                tenant=request.tenant, public_ids=valid_uuids(request.POST.getlist("votes"))
            )
        try:
            result = services.votes_decide(
                votes=votes,
                actor=request.user,
                action=request.POST.get("action", ""),
                reason=request.POST.get("reason", ""),
                tenant=request.tenant,
            )
        except DomainError as exc:
            error = exc
        else:
            done, skipped = len(result["done"]), len(result["skipped"])
            message = ngettext("%(n)s vote decided.", "%(n)s votes decided.", done) % {"n": done}
            if skipped:
                message += " " + ngettext(
                    "%(n)s was already decided.", "%(n)s were already decided.", skipped
                ) % {"n": skipped}
            messages.success(request, message)
            return redirect(f"{reverse('console:votes_review')}?{urlencode(query.params())}")
    rows, next_cursor = selectors.review_page(tenant=request.tenant, query=query)
    _explain(rows, request.tenant)
    return render(
        request,
        "voting/console/review.html",
        {
            "rows": rows,
            "query": query,
            "statuses": [(s, Vote.Status(s).label) for s in selectors.REVIEW_STATUSES],
            "campaigns": Campaign.objects.filter(tenant=request.tenant)
            .exclude(status=Campaign.Status.DRAFT)
            .order_by("-starts_at"),
            "groups": selectors.review_groups(tenant=request.tenant, query=query),
            "waiting": selectors.waiting_count(tenant=request.tenant),
            "next_url": f"?{urlencode(query.params(cursor=next_cursor))}" if next_cursor else "",
            "error": error,
            "values": request.POST if error else {},
            "bulk_max": BULK_MAX,
        },
        status=400 if error else 200,
    )


@console_view(MODERATOR)
@in_tenant_time_zone
def rounds(request):
    rows = selectors.console_rounds(tenant=request.tenant)
    now = timezone.now()
    for round_ in rows:
        round_.label = round_label(round_.campaign, round_)
        round_.takes_votes = lifecycle.round_takes_votes(round_, now)
    return render(
        request,
        "voting/console/rounds.html",
        {
            "rounds": rows,
            "now": now,
            "disqualified": selectors.disqualifications(tenant=request.tenant)[:100],
        },
    )


@console_view(MODERATOR)
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def round_ranking(request, public_id):
    round_ = campaign_selectors.round_for_console(request, public_id)
    round_.label = round_label(round_.campaign, round_)
    if request.method == "POST":
        run_and_say(
            request, lambda: services.ranking_freeze(round=round_), _("The ranking is frozen.")
        )
        return redirect("console:votes_round", public_id=round_.public_id)
    ranking = selectors.ranking_for(round_)
    selectors.add_quarantined(ranking)
    return render(
        request,
        "voting/console/ranking.html",
        {
            "round": round_,
            "campaign": round_.campaign,
            "ranking": ranking,
            "console": True,
            "can_freeze": not ranking.frozen
            and not lifecycle.round_takes_votes(round_, timezone.now()),
        },
    )


@console_view(MODERATOR)
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def disqualify(request, public_id):
    idea = idea_selectors.idea_for_console(request, public_id)
    error = None
    if request.method == "POST":
        try:
            services.idea_disqualify(
                idea=idea, actor=request.user, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("The idea is out of the vote."))
            return redirect(_back(request, reverse("console:votes_rounds")))
    return render(
        request,
        "voting/console/disqualify.html",
        {
            "idea": idea,
            "disqualified": selectors.is_disqualified(idea),
            "error": error,
            "values": request.POST if error else {},
            "next": request.GET.get("next") or request.POST.get("next", ""),
        },
        status=400 if error else 200,
    )


@console_view(MODERATOR)
@require_POST
def requalify(request, public_id):
    idea = idea_selectors.idea_for_console(request, public_id)
    reason = request.POST.get("reason", "")
    if services.idea_requalify(idea=idea, actor=request.user, reason=reason):
        messages.success(request, _("The idea is back in the vote."))
    return redirect(_back(request, reverse("console:votes_rounds")))
