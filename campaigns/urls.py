"""The challenges' URLs, mounted by config/urls.py: `public` under /challenges/
(namespace "campaigns"), `embed` under /embed/challenges/ (namespace
"campaigns_embed"), `console` inside the console (namespace "console"), `api`
inside /api/v1/ (namespace "api")."""

from django.urls import path

from campaigns import api
from campaigns.views import console, embed, public

public_urls = [
    path("<slug:slug>/", public.challenge, name="detail"),
    path("<slug:slug>/invite/<str:token>/", public.invitation, name="invite"),
]

# Under /embed/challenges/ (namespace "campaigns_embed"): the pages a brand frames.
embed_urls = [
    path("<slug:slug>/", embed.challenge, name="challenge"),
    path("<slug:slug>/gallery/", embed.gallery, name="gallery"),
    path("<slug:slug>/winners/", embed.winners, name="winners"),
]

console_urls = [
    path("", console.overview, name="home"),
    path("challenges/new/", console.challenge_new, name="challenge_new"),
    path("challenges/preview/", console.challenge_preview_panel, name="challenge_preview_new"),
    path("challenges/<slug:slug>/", console.challenge, name="challenge"),
    path("challenges/<slug:slug>/edit/<str:step>/", console.challenge_step, name="challenge_step"),
    path(
        "challenges/<slug:slug>/live-preview/",
        console.challenge_preview_panel,
        name="challenge_preview_panel",
    ),
    path("challenges/<slug:slug>/preview/", console.challenge_preview, name="challenge_preview"),
    path("challenges/<slug:slug>/publish/", console.challenge_publish, name="challenge_publish"),
    path(
        "challenges/<slug:slug>/unpublish/",
        console.challenge_unpublish,
        name="challenge_unpublish",
    ),
    path("challenges/<slug:slug>/close/", console.challenge_close, name="challenge_close"),
    path("challenges/<slug:slug>/archive/", console.challenge_archive, name="challenge_archive"),
    path(
        "challenges/<slug:slug>/duplicate/",
        console.challenge_duplicate,
        name="challenge_duplicate",
    ),
    path(
        "challenges/<slug:slug>/invitations/",
        console.invitation_create,
        name="invitation_create",
    ),
    path(
        "challenges/<slug:slug>/invitations/<uuid:public_id>/revoke/",
        console.invitation_revoke,
        name="invitation_revoke",
    ),
    path("brand/", console.brand, name="brand"),
    path("brand/domains/", console.brand_domain_add, name="brand_domain_add"),
    path(
        "brand/domains/<str:hostname>/primary/",
        console.brand_domain_primary,
        name="brand_domain_primary",
    ),
    path(
        "brand/domains/<str:hostname>/remove/",
        console.brand_domain_remove,
        name="brand_domain_remove",
    ),
]

api_urls = [
    path("challenges", api.ChallengeListView.as_view(), name="challenge-list"),
    path("challenges/<slug:slug>", api.ChallengeDetailView.as_view(), name="challenge-detail"),
    path(
        "challenges/<slug:slug>/rounds",
        api.ChallengeRoundsView.as_view(),
        name="challenge-rounds",
    ),
    path(
        "console/challenges",
        api.ConsoleChallengeListView.as_view(),
        name="console-challenge-list",
    ),
    path(
        "console/challenges/<slug:slug>",
        api.ConsoleChallengeDetailView.as_view(),
        name="console-challenge-detail",
    ),
    path(
        "console/challenges/<slug:slug>/publish",
        api.ConsoleChallengePublishView.as_view(),
        name="console-challenge-publish",
    ),
]
