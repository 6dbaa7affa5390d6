"""Insights' URLs, mounted by config/urls.py: `console_urls` inside the console
(namespace "console"), `api_urls` inside /api/v1/ (namespace "api")."""

console_urls = []

api_urls = []
