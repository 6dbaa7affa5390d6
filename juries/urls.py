"""The juries' URLs, mounted by config/urls.py: `jury_urls` under /jury/
(namespace "jury"), `console_urls` inside the console (namespace "console"),
`api_urls` inside /api/v1/ (namespace "api").

Ideas are never addressed by their own public id here (it leads to their
public page, and their author): a juror's idea is their assignment, an idea of
a round's shortlist is its entry."""

from django.urls import path

from juries import api
from juries.views import console, jury

jury_urls = [
    path("", jury.home, name="home"),
    path("rounds/<uuid:public_id>/", jury.round_page, name="round"),
    path("rounds/<uuid:public_id>/decision/", jury.decide, name="decide"),
    path("rounds/<uuid:public_id>/scores.csv", jury.scores_csv, name="scores_csv"),
    path("assignments/<uuid:public_id>/", jury.assignment_page, name="assignment"),
    path("assignments/<uuid:public_id>/save/", jury.assignment_save, name="assignment_save"),
    path("assignments/<uuid:public_id>/submit/", jury.assignment_submit, name="assignment_submit"),
    path("assignments/<uuid:public_id>/recuse/", jury.assignment_recuse, name="assignment_recuse"),
]

console_urls = [
    path("juries/", console.juries, name="juries"),
    path("challenges/<slug:slug>/jury/", console.jury, name="jury"),
    path(
        "challenges/<slug:slug>/jury/decisions.csv",
        console.decisions_csv,
        name="jury_decisions_csv",
    ),
    path(
        "challenges/<slug:slug>/jury/rounds/<uuid:public_id>/",
        console.jury_round,
        name="jury_round",
    ),
    path(
        "challenges/<slug:slug>/jury/rounds/<uuid:public_id>/scores.csv",
        console.scores_csv,
        name="jury_scores_csv",
    ),
]

api_urls = [
    path("jury/assignments", api.AssignmentListView.as_view(), name="jury-assignments"),
    path(
        "jury/assignments/<uuid:public_id>",
        api.AssignmentDetailView.as_view(),
        name="jury-assignment",
    ),
    path(
        "jury/assignments/<uuid:public_id>/scores",
        api.AssignmentScoresView.as_view(),
        name="jury-assignment-scores",
    ),
    path(
        "jury/assignments/<uuid:public_id>/submit",
        api.AssignmentSubmitView.as_view(),
        name="jury-assignment-submit",
    ),
    path(
        "jury/assignments/<uuid:public_id>/recuse",
        api.AssignmentRecuseView.as_view(),
        name="jury-assignment-recuse",
    ),
    path(
        "jury/rounds/<uuid:public_id>/scores",
        api.RoundScoresView.as_view(),
        name="jury-round-scores",
    ),
    path(
        "jury/rounds/<uuid:public_id>/aggregate",
        api.RoundAggregateView.as_view(),
        name="jury-round-aggregate",
    ),
    path(
        "jury/rounds/<uuid:public_id>/decision",
        api.RoundDecisionView.as_view(),
        name="jury-round-decision",
    ),
]
