from django.urls import path

from integrations import api
from integrations.views import console, embeds

console_urls = [
    path("embeds/", embeds.embed_settings, name="embeds"),
    path("webhooks/", console.webhooks, name="webhooks"),
    path("webhooks/add/", console.webhook_add, name="webhook_add"),
    path("webhooks/<uuid:public_id>/", console.webhook_detail, name="webhook"),
    path("webhooks/<uuid:public_id>/edit/", console.webhook_edit, name="webhook_edit"),
    path("webhooks/<uuid:public_id>/rotate/", console.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<uuid:public_id>/enable/", console.webhook_enable, name="webhook_enable"),
    path("webhooks/<uuid:public_id>/disable/", console.webhook_disable, name="webhook_disable"),
    path("webhooks/<uuid:public_id>/test/", console.webhook_test, name="webhook_test"),
    path("webhooks/<uuid:public_id>/delete/", console.webhook_delete, name="webhook_delete"),
    path(
        "webhooks/<uuid:public_id>/deliveries/<uuid:delivery_id>/replay/",
        console.delivery_replay,
        name="webhook_delivery_replay",
    ),
]

api_urls = api.urlpatterns

# At the root of a tenant's host (config/urls.py): /oembed?url=…&format=json.
oembed = embeds.oembed
