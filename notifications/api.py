"""API: the signed-in person's notifications and preferences in this tenant.

    GET   /api/v1/notifications                      newest first (cursor pages)
    GET   /api/v1/notifications/unread-count
    POST  /api/v1/notifications/<id>/read
    POST  /api/v1/notifications/read-all
    GET   /api/v1/notifications/preferences
    PATCH /api/v1/notifications/preferences/<event>  {"delivery": "daily"}

The same services and selectors as the pages; another tenant's or another
person's notification is a 404.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import valid_input
from notifications import selectors, services
from notifications.events import get_event
from notifications.models import DeliveryMode, Notification


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    text = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "event", "text", "url", "read", "read_at", "created_at"]


class PreferenceSerializer(serializers.Serializer):
    event = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    transactional = serializers.BooleanField(read_only=True)
    delivery = serializers.ChoiceField(choices=DeliveryMode.choices)
    choices = serializers.ListField(child=serializers.CharField(), read_only=True)


def _preference_row(event, delivery) -> dict:
    return {
        "event": event.name,
        "label": str(event.label),
        "transactional": event.transactional,
        "delivery": delivery,
        "choices": [value for value, _label in event.choices()],
    }


@extend_schema(tags=["notifications"])
class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.inbox(tenant=self.request.tenant, user=self.request.user)


@extend_schema(
    tags=["notifications"],
    responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}),
)
class UnreadCountView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(
            {"unread": selectors.unread_count(tenant=request.tenant, user=request.user)}
        )


@extend_schema(tags=["notifications"], request=None, responses=NotificationSerializer)
class MarkReadView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, public_id):
        notification = selectors.notification_for_viewer(request, public_id)
        services.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


@extend_schema(
    tags=["notifications"],
    request=None,
    responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
)
class MarkAllReadView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        marked = services.notifications_mark_all_read(tenant=request.tenant, user=request.user)
        return Response({"marked": marked})


@extend_schema(tags=["notifications"], responses=PreferenceSerializer(many=True))
class PreferenceListView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        rows = selectors.preferences_of(tenant=request.tenant, user=request.user)
        return Response([_preference_row(event, delivery) for event, delivery, _c in rows])


@extend_schema(tags=["notifications"], request=PreferenceSerializer, responses=PreferenceSerializer)
class PreferenceView(APIView):
    permission_classes = [IsAuthenticated]

    def patch(self, request, event):
        spec = get_event(event)  # 404 for an unknown event
        data = valid_input(request, PreferenceSerializer)
        preference = services.preference_set(
            tenant=request.tenant,
            user=request.user,
            event=spec.name,
            delivery=data["delivery"],
        )
        return Response(_preference_row(spec, preference.delivery))


urlpatterns = [
    path("notifications", NotificationListView.as_view(), name="notification-list"),
    path("notifications/unread-count", UnreadCountView.as_view(), name="notification-unread-count"),
    path("notifications/read-all", MarkAllReadView.as_view(), name="notification-read-all"),
    path(
        "notifications/preferences",
        PreferenceListView.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/preferences/<str:event>",
        PreferenceView.as_view(),
        name="notification-preference",
    ),
    path(
        "notifications/<uuid:public_id>/read",
        MarkReadView.as_view(),
        name="notification-read",
    ),
]
