"""Insights' URLs, mounted by config/urls.py: `console_urls` inside the console
(namespace "console"), `api_urls` inside /api/v1/ (namespace "api")."""

from django.urls import path

from insights import api
from insights.views import console, dashboard

console_urls = [
    path("insights/", dashboard.dashboard, name="insights"),
    path("challenges/<slug:slug>/insights/", dashboard.dashboard, name="insights_challenge"),
    path(
        "challenges/<slug:slug>/insights/ideas/<uuid:public_id>/",
        dashboard.idea_sources,
        name="insights_idea_sources",
    ),
    path("exports/", console.exports, name="exports"),
    path(
        "exports/<slug:kind>.<str:file_format>",
        console.export_download,
        name="export_download",
    ),
]

api_urls = [
    path("exports/<slug:kind>", api.ExportView.as_view(), name="export"),
]
