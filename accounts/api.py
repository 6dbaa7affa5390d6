"""API: the signed-in person, and the tenant's team for the console."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from accounts import selectors
from accounts.models import Membership, User
from accounts.permissions import CONSOLE_ROLES, HasTenantRole, role_of


class MeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "language", "role"]
        read_only_fields = ["email"]

    def get_role(self, user) -> str | None:
        """The person's team role in this tenant, if any."""
        request = self.context["request"]
        return role_of(user, request.tenant)


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in person's profile as this tenant sees it."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "options"]

    def get_object(self):
        return self.request.user


class MembershipSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "display_name", "role", "created_at"]


@extend_schema(tags=["console"])
class TeamListView(generics.ListAPIView):
    serializer_class = MembershipSerializer
    permission_classes = [HasTenantRole.of(*CONSOLE_ROLES)]
    pagination_class = None

    def get_queryset(self):
        return selectors.team_list(tenant=self.request.tenant)


@extend_schema(tags=["console"])
class TeamMemberView(generics.RetrieveAPIView):
    serializer_class = MembershipSerializer
    permission_classes = [HasTenantRole.of(*CONSOLE_ROLES)]

    def get_object(self):
        return selectors.membership_for_console(self.request, self.kwargs["public_id"])
