"""Insights' URLs, mounted by config/urls.py: `console_urls` inside the console
(namespace "console"), `api_urls` inside /api/v1/ (namespace "api")."""

from django.urls import path

from insights import api
from insights.views import console

console_urls = [
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
