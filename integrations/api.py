"""API of the brand's webhooks, for owners and administrators:

GET  POST            /api/v1/webhooks/endpoints
GET  PATCH  DELETE   /api/v1/webhooks/endpoints/<id>
POST                 /api/v1/webhooks/endpoints/<id>/rotate-secret
POST                 /api/v1/webhooks/endpoints/<id>/test
GET                  /api/v1/webhooks/endpoints/<id>/deliveries
POST                 /api/v1/webhooks/endpoints/<id>/deliveries/<id>/replay
GET                  /api/v1/webhooks/events     the catalogue
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import HasTenantRole, Role
from integrations import selectors, services
from integrations.events import CATALOGUE
from integrations.models import WebhookDelivery, WebhookEndpoint

ADMINS = [HasTenantRole.of(Role.ADMIN)]


class EndpointSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    events = serializers.ListField(child=serializers.CharField(max_length=64))
    secret = serializers.CharField(read_only=True, help_text="whsec_…: verify signatures with it.")

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id", "url", "kind", "description", "events", "secret", "enabled", "disabled_reason",
            "failure_streak", "previous_secret_expires_at", "created_at",
        ]  # fmt: skip
        read_only_fields = [
            "enabled", "disabled_reason", "failure_streak", "previous_secret_expires_at",
            "created_at",
        ]  # fmt: skip
        extra_kwargs = {"url": {"validators": []}}  # the service checks it (SSRF included)


class EndpointInput(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    kind = serializers.ChoiceField(
        choices=WebhookEndpoint.Kind.choices,
        required=False,
        help_text="standard: the signed JSON envelope; slack or teams: a team chat's incoming "
        "webhook gets a message people read, in the brand's language.",
    )
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    events = serializers.ListField(child=serializers.CharField(max_length=200), allow_empty=True)


class EndpointPatch(EndpointInput):
    url = serializers.CharField(max_length=2000, required=False)
    events = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    enabled = serializers.BooleanField(required=False)


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_id", "event_type", "payload", "status", "attempts", "next_attempt_at",
            "last_attempt_at", "last_response_code", "last_response_excerpt", "last_error",
            "last_duration_ms", "created_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema(tags=["webhooks"])
class EndpointListView(generics.ListCreateAPIView):
    """The brand's webhook endpoints; POST {"url", "events", "description"} adds one
    (its `secret` is in the answer)."""

    serializer_class = EndpointSerializer
    permission_classes = ADMINS
    pagination_class = None

    def get_queryset(self):
        return selectors.endpoint_list(tenant=self.request.tenant)

    @extend_schema(request=EndpointInput, responses={201: EndpointSerializer})
    def post(self, request):
        data = EndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(tenant=request.tenant, **data.validated_data)
        return Response(EndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["webhooks"])
class EndpointView(generics.RetrieveAPIView):
    """GET one endpoint; PATCH its url, description, events or `enabled`; DELETE
    it with its delivery log."""

    serializer_class = EndpointSerializer
    permission_classes = ADMINS

    def get_object(self):
        return selectors.endpoint_for_console(self.request, self.kwargs["public_id"])

    @extend_schema(request=EndpointPatch, responses=EndpointSerializer)
    def patch(self, request, public_id):
        endpoint = self.get_object()
        data = EndpointPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if {"url", "description", "events", "kind"} & set(values):
            endpoint = services.endpoint_update(
                endpoint=endpoint,
                url=values.get("url", endpoint.url),
                description=values.get("description", endpoint.description),
                events=values.get("events", endpoint.events),
                kind=values.get("kind", endpoint.kind),
            )
        if values.get("enabled") is True:
            endpoint = services.endpoint_enable(endpoint=endpoint)
        elif values.get("enabled") is False:
            endpoint = services.endpoint_disable(endpoint=endpoint)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request, public_id):
        services.endpoint_delete(endpoint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["webhooks"])
class EndpointRotateView(APIView):
    """A new secret; the previous one keeps signing deliveries for 24 hours."""

    permission_classes = ADMINS

    @extend_schema(request=None, responses=EndpointSerializer)
    def post(self, request, public_id):
        endpoint = selectors.endpoint_for_console(request, public_id)
        endpoint = services.endpoint_secret_rotate(endpoint=endpoint)
        return Response(EndpointSerializer(endpoint).data)


@extend_schema(tags=["webhooks"])
class EndpointTestView(APIView):
    """Send a `webhook.test` event to the endpoint now."""

    permission_classes = ADMINS

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, public_id):
        endpoint = selectors.endpoint_for_console(request, public_id)
        delivery = services.endpoint_test_send(endpoint=endpoint)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["webhooks"])
class DeliveryListView(generics.ListAPIView):
    """The endpoint's delivery log, newest first: request body, answer, attempts."""

    serializer_class = DeliverySerializer
    permission_classes = ADMINS

    def get_queryset(self):
        endpoint = selectors.endpoint_for_console(self.request, self.kwargs["public_id"])
        return selectors.delivery_log(endpoint=endpoint)


@extend_schema(tags=["webhooks"])
class DeliveryReplayView(APIView):
    """Send the delivery's event (same id, same body) again, as a new delivery."""

    permission_classes = ADMINS

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, public_id, delivery_id):
        endpoint = selectors.endpoint_for_console(request, public_id)
        delivery = selectors.delivery_for_console(endpoint=endpoint, public_id=delivery_id)
        replay = services.delivery_replay(delivery=delivery)
        return Response(DeliverySerializer(replay).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["webhooks"])
class EventCatalogueView(APIView):
    """The event types an endpoint can subscribe to, with an example of each `data`."""

    permission_classes = ADMINS

    @extend_schema(
        responses=inline_serializer(
            "WebhookEventType",
            {
                "type": serializers.CharField(),
                "label": serializers.CharField(),
                "example": serializers.DictField(),
            },
            many=True,
        )
    )
    def get(self, request):
        return Response(
            [
                {"type": e.name, "label": str(e.label), "example": e.example}
                for e in CATALOGUE.values()
            ]
        )


ONE = "webhooks/endpoints/<uuid:public_id>"  # one endpoint, and what hangs under it

urlpatterns = [
    path("webhooks/events", EventCatalogueView.as_view(), name="webhook-events"),
    path("webhooks/endpoints", EndpointListView.as_view(), name="webhook-endpoint-list"),
    path(ONE, EndpointView.as_view(), name="webhook-endpoint"),
    path(f"{ONE}/rotate-secret", EndpointRotateView.as_view(), name="webhook-endpoint-rotate"),
    path(f"{ONE}/test", EndpointTestView.as_view(), name="webhook-endpoint-test"),
    path(f"{ONE}/deliveries", DeliveryListView.as_view(), name="webhook-delivery-list"),
    path(
        f"{ONE}/deliveries/<uuid:delivery_id>/replay",
        DeliveryReplayView.as_view(),
        name="webhook-delivery-replay",
    ),
]
