"""What makes a site installable, on every host (tenants' and the platform's)."""

from django.urls import path

from tenants.views import app

installable_urls = [
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("favicon.ico", app.favicon, name="favicon"),
    path("icons/<int:size>.png", app.icon, name="icon"),
    path("offline/", app.offline, name="offline"),
    path("sw.js", app.service_worker, name="service_worker"),
]
