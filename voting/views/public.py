"""The participants' side: the vote button (htmx swaps it in place with the new
count) and a round's ranking page."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.consent import participation_block, terms_required
from campaigns import lifecycle
from campaigns import selectors as campaign_selectors
from campaigns.pages import round_label
from core.errors import DomainError
from core.permissions import is_team
from core.ratelimit import client_ip
from core.views import in_tenant_time_zone
from ideas.models import Idea
from voting import selectors, services
from voting.models import Vote


def button_context(request, idea: Idea, campaign=None, *, message="", error="") -> dict:
    """What the vote button shows. In a gallery, `idea.my_vote` was set for the
    whole page by the annotator and the challenge's rounds are prefetched: no
    query per card. On an idea's page, one query finds the person's vote."""
    campaign = campaign or idea.campaign
    user = request.user
    at = timezone.now()
    rounds = list(campaign.rounds.all())
    allowed = lifecycle.allowed_now(campaign, at, rounds)
    my_vote = getattr(idea, "my_vote", None)
    if my_vote is None:
        vote = selectors.vote_of(user, idea)
        my_vote = vote.status if vote else ""
    is_open = allowed.vote and idea.state == Idea.State.PUBLISHED
    # The vote rule's own answer (services.check_can_vote asks the same).
    own = not campaign.self_vote_allowed and services.is_own_idea(user, idea)
    left = votes_left(request, campaign, at, rounds) if is_open else None
    return {
        "request": request,
        "idea": idea,
        "campaign": campaign,
        "open": is_open,
        "my_vote": my_vote,
        "own": own,
        "show_count": campaign_selectors.vote_totals_shown(request, campaign, at, rounds),
        "count": idea.vote_count,
        "votes_left": left,
        "spent": left == 0 and not my_vote,
        "message": message,
        "error": error,
    }


def votes_left(request, campaign, at, rounds) -> int | None:
    """The person's votes left in the round taking votes now; None without a
    limit or for a visitor. Counted once per request and challenge, so a
    gallery's buttons cost one query together."""
    if not request.user.is_authenticated:
        return None
    known = request.__dict__.setdefault("_votes_left", {})
    if campaign.pk not in known:
        round_ = services.voting_round(campaign, at, rounds)
        if round_ is None or not round_.votes_per_round:
            known[campaign.pk] = None
        else:
            used = selectors.votes_used(round_=round_, voter=request.user)
            known[campaign.pk] = max(0, round_.votes_per_round - used)
    return known[campaign.pk]


def _check_take_part(request, idea: Idea) -> None:
    """Employees-only and invite-only challenges: people outside get 404."""
    if not campaign_selectors.can_take_part(request, idea.campaign):
        raise Http404


def _left(result) -> str:
    if result.votes_left is None:
        return ""
    return " " + ngettext(
        "You have %(n)s vote left in this round.",
        "You have %(n)s votes left in this round.",
        result.votes_left,
    ) % {"n": result.votes_left}


def _answer(request, idea, *, message="", error=""):
    if request.htmx:
        # 200 even for a refusal: htmx swaps the button, which says why. The
        # other buttons on the page learn the votes left (voting/js/votes.js).
        context = button_context(request, idea, message=message, error=error)
        response = render(request, "voting/_button.html", context)
        if context["votes_left"] is not None:
            response["HX-Trigger"] = json.dumps(
                {"ruche:votes-left": {"campaign": str(idea.campaign.public_id),
                                      "left": context["votes_left"]}}
            )  # fmt: skip
        return response
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect(idea.get_absolute_url())


@require_POST
def cast(request, public_id):
    # The idea first: a missing idea or another tenant's is a 404 for everyone,
    # before anybody is asked to sign in or accept terms.
    idea = selectors.idea_for_vote(request, public_id)
    # Signed out or new here: the vote is cast on their return (accounts.intents).
    blocked = participation_block(request, intent=("vote", idea.public_id))
    if blocked is not None:
        return blocked
    _check_take_part(request, idea)
    try:
        result = _vote(request, idea)
    except DomainError as exc:
        return _answer(request, idea, error=exc.message)
    idea.my_vote = result.status
    return _answer(request, idea, message=_said(result))


def _vote(request, idea: Idea):
    return services.vote_cast(
        idea=idea,
        voter=request.user,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )


def _said(result) -> str:
    if not result.changed:
        return _("You have already voted for this idea.")
    if result.status == Vote.Status.QUARANTINED:
        return _("Thank you! Your vote will count after a routine check.") + _left(result)
    return _("Thank you for your vote!") + _left(result)


def vote_intent(request, target: str) -> str:
    """A vote clicked before signing in or accepting the terms, cast now
    through the same rule and service as a click (accounts.intents)."""
    idea = selectors.idea_for_vote(request, target)
    _check_take_part(request, idea)
    return _said(_vote(request, idea))


@require_POST
def withdraw(request, public_id):
    return _withdraw(request, selectors.idea_for_vote(request, public_id))


@terms_required
def _withdraw(request, idea: Idea):
    _check_take_part(request, idea)
    try:
        result = services.vote_withdraw(idea=idea, voter=request.user)
    except DomainError as exc:
        return _answer(request, idea, error=exc.message)
    idea.my_vote = ""
    if result.changed:
        message = _("Your vote is withdrawn.") + _left(result)
    else:
        message = _("You had not voted for this idea.")
    return _answer(request, idea, message=message)


@require_GET
@in_tenant_time_zone
def ranking(request, slug, public_id):
    """A round's ranking: frozen once its voting closed, live before — unless the
    challenge hides vote totals while voting is open (then only its team sees it)."""
    campaign = campaign_selectors.campaign_for_viewer(request, slug)
    rounds = list(campaign.rounds.all())
    for each in rounds:
        each.label = round_label(campaign, each)
    round_ = next((r for r in rounds if str(r.public_id) == str(public_id)), None)
    if round_ is None:
        raise Http404
    hidden = not selectors.totals_visible(campaign) and selectors.snapshot_of(round_) is None
    team = is_team(request.user, request.tenant)
    ranking = None if hidden and not team else selectors.ranking_for(round_, limit=100)
    return render(
        request,
        "voting/public/ranking.html",
        {
            "campaign": campaign,
            "round": round_,
            "rounds": [r for r in rounds if r.starts_at <= timezone.now()],
            "ranking": ranking,
            "hidden": hidden,
        },
    )
