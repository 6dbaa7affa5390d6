"""Voting's URLs, mounted by config/urls.py: `public_urls` at the root of a
tenant's host (namespace "voting"), `console_urls` inside the console
(namespace "console"), `api_urls` inside /api/v1/ (namespace "api")."""

from django.urls import path

from voting import api
from voting.views import console, public

public_urls = [
    path("ideas/<uuid:public_id>/vote/", public.cast, name="cast"),
    path("ideas/<uuid:public_id>/vote/withdraw/", public.withdraw, name="withdraw"),
    path(
        "challenges/<slug:slug>/rounds/<uuid:public_id>/ranking/",
        public.ranking,
        name="ranking",
    ),
]

console_urls = [
    path("votes/", console.review, name="votes_review"),
    path("votes/rankings/", console.rounds, name="votes_rounds"),
    path("votes/rankings/<uuid:public_id>/", console.round_ranking, name="votes_round"),
    path("votes/ideas/<uuid:public_id>/disqualify/", console.disqualify, name="votes_disqualify"),
    path("votes/ideas/<uuid:public_id>/reinstate/", console.requalify, name="votes_requalify"),
]

api_urls = [
    path("ideas/<uuid:public_id>/vote", api.IdeaVoteView.as_view(), name="idea-vote"),
    path("rounds/<uuid:public_id>/ranking", api.RoundRankingView.as_view(), name="round-ranking"),
    path("me/votes", api.MyVotesView.as_view(), name="my-votes"),
    path("console/votes", api.ReviewVotesView.as_view(), name="review-votes"),
    path("console/votes/decisions", api.VoteDecisionView.as_view(), name="vote-decisions"),
    path(
        "console/ideas/<uuid:public_id>/disqualification",
        api.DisqualificationView.as_view(),
        name="idea-disqualification",
    ),
]
