"""API: the signed-in person (profile, memberships, consents, token, data), and
the tenant's team and people for the console."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import (
    BrandApiKey,
    Consent,
    Invitation,
    Membership,
    ParticipantProfile,
    User,
)
from core.api import valid_input
from core.permissions import (
    CONSOLE_ROLES,
    PEOPLE_ONLY,
    HasTenantRole,
    KeyScope,
    Role,
    role_of,
)
from tenants.selectors import primary_hostname


class MembershipOfMeSerializer(serializers.ModelSerializer):
    tenant = serializers.CharField(source="tenant.name", read_only=True)
    host = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["tenant", "host", "role", "created_at"]

    def get_host(self, membership) -> str:
        return primary_hostname(membership.tenant)


class ConsentOfMeSerializer(serializers.ModelSerializer):
    tenant = serializers.CharField(source="tenant.name", read_only=True)
    version = serializers.IntegerField(source="terms_version.version", read_only=True)

    class Meta:
        model = Consent
        fields = ["tenant", "version", "accepted_at"]


class ProfileSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    public_name = serializers.CharField(source="display_name", read_only=True)
    avatar = serializers.ImageField(read_only=True)

    class Meta:
        model = ParticipantProfile
        fields = ["id", "public_name", "avatar", "marketing_opt_in", "created_at"]


class MeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    role = serializers.SerializerMethodField()
    terms_accepted = serializers.SerializerMethodField()
    profile = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()
    consents = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id", "email", "display_name", "language", "role", "terms_accepted",
            "profile", "memberships", "consents",
        ]  # fmt: skip
        read_only_fields = ["email"]

    def validate_display_name(self, value: str) -> str:
        return services.clean_display_name(value)

    def _tenant(self):
        return self.context["request"].tenant

    def get_role(self, user) -> str | None:
        """The person's team role in this tenant, if any."""
        return role_of(user, self._tenant())

    def get_terms_accepted(self, user) -> bool:
        """Whether the person accepted this tenant's current terms."""
        return selectors.has_accepted_current_terms(user, self._tenant())

    def get_profile(self, user) -> dict | None:
        profile = selectors.profile_of(user, self._tenant())
        return ProfileSerializer(profile, context=self.context).data if profile else None

    # A brand's site answers for that brand only: what the person is or accepted
    # elsewhere is theirs to see in the platform-wide export, not here.
    def get_memberships(self, user) -> list:
        """The person's team role in this tenant (a list: empty or one)."""
        rows = Membership.objects.filter(user=user, tenant=self._tenant()).select_related("tenant")
        return MembershipOfMeSerializer(list(rows), many=True).data

    def get_consents(self, user) -> list:
        """The versions of this tenant's terms the person accepted."""
        rows = (
            Consent.objects.filter(user=user, tenant=self._tenant())
            .select_related("tenant", "terms_version")
            .order_by("accepted_at")
        )
        return ConsentOfMeSerializer(list(rows), many=True).data


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in person's profile, team roles and consents."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "options"]

    def get_object(self):
        return self.request.user


class TokenView(APIView):
    """POST: a new API token for the signed-in person, valid on this tenant's
    hosts only (their old one here stops working). DELETE: revoke it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses=inline_serializer("Token", {"token": serializers.CharField()})
    )
    def post(self, request):
        key = services.api_token_issue(user=request.user, tenant=request.tenant)
        return Response({"token": key}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.api_token_revoke(user=request.user, tenant=request.tenant)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    marketing_opt_in = serializers.BooleanField(required=False, default=False)


class ConsentView(APIView):
    """Accept the tenant's current terms (the version the person read)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ConsentInput, responses=ConsentOfMeSerializer)
    def post(self, request):
        data = valid_input(request, ConsentInput)
        consent = services.consent_accept(tenant=request.tenant, user=request.user, **data)
        return Response(ConsentOfMeSerializer(consent).data, status=status.HTTP_201_CREATED)


class ExportView(APIView):
    """All the person's data: ?scope=tenant (default) or platform."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request):
        whole = request.query_params.get("scope") == "platform"
        return Response(
            services.personal_data_export(
                user=request.user, tenant=None if whole else request.tenant
            )
        )


class DeleteInput(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["anonymise", "remove"])
    confirm_email = serializers.EmailField()

    def validate_confirm_email(self, value):
        if value.strip().lower() != self.context["request"].user.email.lower():
            raise serializers.ValidationError("Type your e-mail address to confirm.")
        return value


class DeleteAccountView(APIView):
    """Delete the account; ideas and comments are anonymised or removed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DeleteInput, responses={204: None})
    def post(self, request):
        data = valid_input(request, DeleteInput, context={"request": request})
        services.account_delete(user=request.user, mode=data["mode"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Console: team ------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "display_name", "role", "created_at"]
        read_only_fields = ["created_at"]


@extend_schema(tags=["console"])
class TeamListView(generics.ListAPIView):
    serializer_class = MembershipSerializer
    permission_classes = [HasTenantRole.of(*CONSOLE_ROLES)]
    pagination_class = None

    def get_queryset(self):
        return selectors.team_list(tenant=self.request.tenant)


class RoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


@extend_schema(tags=["console"])
class TeamMemberView(generics.RetrieveAPIView):
    """GET a member; PATCH {"role"} to change it; DELETE to take them off the team
    (owners and administrators; only an owner touches an owner)."""

    serializer_class = MembershipSerializer
    permission_classes = [HasTenantRole.of(*CONSOLE_ROLES)]

    def get_object(self):
        return selectors.membership_for_console(self.request, self.kwargs["public_id"])

    @extend_schema(request=RoleInput, responses=MembershipSerializer)
    def patch(self, request, public_id):
        data = valid_input(request, RoleInput)
        membership = services.membership_change_role(
            membership=self.get_object(), role=data["role"], actor=request.user
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request, public_id):
        services.membership_remove(membership=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "created_at", "expires_at"]
        read_only_fields = ["status", "created_at", "expires_at"]


class InvitationRequestSerializer(serializers.Serializer):
    email = serializers.CharField(required=False, allow_blank=True, default="")
    role = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["console"])
class InvitationListView(generics.ListCreateAPIView):
    """Pending invitations; POST {"email", "role"} invites someone."""

    serializer_class = InvitationSerializer
    permission_classes = [HasTenantRole.of(Role.ADMIN)]
    pagination_class = None

    def get_queryset(self):
        return selectors.invitations_pending(tenant=self.request.tenant)

    def create(self, request, *args, **kwargs):
        # Read as text only (the service checks the address and the role): a
        # body that is not an object is a 400 here, not an AttributeError.
        sent = InvitationRequestSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            tenant=request.tenant,
            email=sent.validated_data["email"],
            role=sent.validated_data["role"],
            actor=request.user,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["console"])
class InvitationView(APIView):
    """DELETE withdraws a pending invitation."""

    permission_classes = [HasTenantRole.of(Role.ADMIN)]

    @extend_schema(responses={204: None})
    def delete(self, request, public_id):
        invitation = selectors.invitation_for_console(request, public_id)
        services.invitation_withdraw(invitation=invitation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Console: people (participants) -------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    public_name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = ParticipantProfile
        fields = ["id", "email", "public_name", "marketing_opt_in", "created_at"]


@extend_schema(tags=["console"])
class PeopleListView(generics.ListAPIView):
    """The people who took part in this tenant's challenges, and no one else."""

    serializer_class = PersonSerializer
    permission_classes = [HasTenantRole.of(Role.ADMIN)]

    def get_queryset(self):
        return selectors.participant_list(tenant=self.request.tenant)


@extend_schema(tags=["console"])
class PersonView(generics.RetrieveAPIView):
    serializer_class = PersonSerializer
    permission_classes = [HasTenantRole.of(Role.ADMIN)]

    def get_object(self):
        return selectors.participant_for_console(self.request, self.kwargs["public_id"])


@extend_schema(tags=["console"])
class PersonExportView(APIView):
    """What this tenant holds about the person, for their access request."""

    permission_classes = [HasTenantRole.of(Role.ADMIN)]

    @extend_schema(responses={200: dict})
    def get(self, request, public_id):
        profile = selectors.participant_for_console(request, public_id)
        return Response(services.personal_data_export(user=profile.user, tenant=request.tenant))


class EraseInput(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["anonymise", "remove"])


@extend_schema(tags=["console"])
class PersonEraseView(APIView):
    """Erase what this tenant holds about the person, on their request."""

    permission_classes = [HasTenantRole.of(Role.ADMIN)]

    @extend_schema(request=EraseInput, responses={204: None})
    def post(self, request, public_id):
        profile = selectors.participant_for_console(request, public_id)
        data = valid_input(request, EraseInput)
        services.participant_erase(
            tenant=request.tenant, profile=profile, mode=data["mode"],
            actor=request.user,
        )  # fmt: skip
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The brand's API keys ----------------------------------------------------------------

# Keys are managed by people (an owner or an administrator), never by a key.
KEY_MANAGERS = [HasTenantRole.of(Role.ADMIN, key_scope=PEOPLE_ONLY)]


class BrandApiKeySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=KeyScope.choices))
    created_by = serializers.CharField(source="created_by.public_name", default=None)
    revoked_by = serializers.CharField(source="revoked_by.public_name", default=None)
    status = serializers.SerializerMethodField()

    class Meta:
        model = BrandApiKey
        fields = [
            "id", "name", "prefix", "scopes", "status", "created_by", "created_at",
            "expires_at", "last_used_at", "revoked_at", "revoked_by",
        ]  # fmt: skip
        read_only_fields = fields

    def get_status(self, key) -> str:
        if key.revoked_at is not None:
            return "revoked"
        return "expired" if key.is_expired else "active"


class BrandApiKeyCreatedSerializer(BrandApiKeySerializer):
    key = serializers.CharField(
        read_only=True, help_text="rk_…: the whole key, in this answer only. It is not kept."
    )

    class Meta(BrandApiKeySerializer.Meta):
        fields = [*BrandApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class BrandApiKeyInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    scopes = serializers.ListField(child=serializers.CharField(max_length=32), allow_empty=True)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


@extend_schema(tags=["console"])
class BrandApiKeyListView(APIView):
    """The brand's API keys (revoked ones too); POST {"name", "scopes",
    "expires_at"} makes one: its `key` is in that answer and never again."""

    permission_classes = KEY_MANAGERS

    @extend_schema(responses=BrandApiKeySerializer(many=True))
    def get(self, request):
        keys = selectors.api_key_list(tenant=request.tenant)
        return Response(BrandApiKeySerializer(keys, many=True).data)

    @extend_schema(
        request=BrandApiKeyInput, responses={201: BrandApiKeyCreatedSerializer, 400: None}
    )
    def post(self, request):
        data = valid_input(request, BrandApiKeyInput)
        key, presented = services.api_key_create(
            tenant=request.tenant,
            name=data["name"],
            scopes=data["scopes"],
            expires_at=data.get("expires_at"),
            created_by=request.user,
        )
        key.key = presented
        return Response(BrandApiKeyCreatedSerializer(key).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["console"])
class BrandApiKeyView(APIView):
    """GET one key (never its secret); DELETE revokes it (it is kept, revoked)."""

    permission_classes = KEY_MANAGERS

    @extend_schema(responses=BrandApiKeySerializer)
    def get(self, request, public_id):
        key = selectors.api_key_for_console(request, public_id)
        return Response(BrandApiKeySerializer(key).data)

    @extend_schema(request=None, responses=BrandApiKeySerializer)
    def delete(self, request, public_id):
        key = selectors.api_key_for_console(request, public_id)
        key = services.api_key_revoke(key=key, by=request.user)
        return Response(BrandApiKeySerializer(key).data)
