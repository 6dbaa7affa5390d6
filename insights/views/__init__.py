"""Insights' console pages: the dashboard (dashboard.py) and the exports
(console.py)."""
