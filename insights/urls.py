"""Insights' URLs, mounted by config/urls.py: `console_urls` inside the console
(namespace "console"), `api_urls` inside /api/v1/ (namespace "api")."""

from django.urls import path

from insights import views

console_urls = [
    path("insights/", views.dashboard, name="insights"),
    path("challenges/<slug:slug>/insights/", views.dashboard, name="insights_challenge"),
    path(
        "challenges/<slug:slug>/insights/ideas/<uuid:public_id>/",
        views.idea_sources,
        name="insights_idea_sources",
    ),
]

api_urls = []
