"""The notifications pages, under /notifications/ on a tenant's host."""

from django.urls import path

from notifications.views import person, unsubscribe

app_name = "notifications"

urlpatterns = [
    path("", person.inbox, name="inbox"),
    path("read-all/", person.mark_all_read, name="read_all"),
    path("<uuid:public_id>/read/", person.mark_read, name="read"),
    path("<uuid:public_id>/open/", person.open_notification, name="open"),
    path("preferences/", person.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]
