"""API: public challenges and their rounds; the console's create, update and
publish. The same services as the console's pages, the same error format."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import lifecycle, selectors, services
from campaigns.models import Campaign, Criterion, Prize, Round
from campaigns.plain_rules import challenge_rules
from core.api import CursorPagination, valid_input
from core.permissions import CONSOLE_ROLES, HasTenantRole, Role

# --- Reading -----------------------------------------------------------------------


class PrizeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prize
        fields = ["round_kind", "rank", "label", "amount", "currency", "split_rule"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "scale_min", "scale_max"]


class RoundSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "index",
            "kind",
            "starts_at",
            "ends_at",
            "voting_ends_at",
            "state",
            "votes_per_round",
        ]


class ChallengeSerializer(serializers.ModelSerializer):
    """A published challenge as the public sees it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    phase = serializers.SerializerMethodField()
    cover = serializers.SerializerMethodField()
    round_days = serializers.IntegerField(read_only=True)
    submission_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    prizes = PrizeSerializer(many=True, read_only=True)
    rounds = RoundSerializer(many=True, read_only=True)
    rules = serializers.SerializerMethodField()
    current_round = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "slug",
            "title",
            "pitch",
            "description",
            "cover",
            "themes",
            "phase",
            "status",
            "audience",
            "starts_at",
            "ends_at",
            "cadence",
            "round_days",
            "current_round",
            "submission_kinds",
            "text_max_chars",
            "image_max_mb",
            "video_max_mb",
            "video_max_seconds",
            "moderation",
            "voters",
            "votes_per_round",
            "self_vote_allowed",
            "show_vote_counts",
            "shortlist_size",
            "prizes",
            "rounds",
            "rules",
            "terms_text",
            "terms_version",
        ]

    def get_phase(self, campaign) -> str:
        return lifecycle.campaign_phase(campaign)

    def get_cover(self, campaign) -> str | None:
        if not campaign.cover:
            return None
        request = self.context.get("request")
        url = campaign.cover.url
        return request.build_absolute_uri(url) if request else url

    def get_rules(self, campaign) -> list[str]:
        """The rules in plain words, in the request's language."""
        return challenge_rules(
            campaign,
            rounds=campaign.rounds.all(),
            prizes=campaign.prizes.all(),
            time_zone=campaign.tenant.time_zone,
        )

    def get_current_round(self, campaign) -> int | None:
        round_ = lifecycle.current_round(campaign, timezone.now(), campaign.rounds.all())
        return round_.index if round_ else None


class ConsoleChallengeSerializer(ChallengeSerializer):
    """Everything the console knows, drafts included."""

    criteria = CriterionSerializer(many=True, read_only=True)
    publish_problems = serializers.SerializerMethodField()

    class Meta(ChallengeSerializer.Meta):
        fields = [
            *ChallengeSerializer.Meta.fields,
            "employee_email_domains",
            "flags_to_hide",
            "round_covers",
            "cadence_days",
            "weekly_winners_can_win_grand",
            "jury_size",
            "jury_blind",
            "jury_guidance",
            "criteria",
            "published_at",
            "closed_at",
            "created_at",
            "publish_problems",
        ]

    def get_publish_problems(self, campaign) -> dict[str, list[str]]:
        """What stops a draft from being published, by field."""
        if campaign.is_published:
            return {}
        return services.publish_problems(campaign)


# --- Writing --------------------------------------------------------------------------


class PrizeInputSerializer(serializers.Serializer):
    round_kind = serializers.CharField()
    rank = serializers.IntegerField(required=False, default=1)
    label = serializers.CharField(required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    split_rule = serializers.CharField(required=False, default=Prize.SplitRule.AUTHOR)


class CriterionInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.IntegerField()
    scale_min = serializers.IntegerField(required=False, default=1)
    scale_max = serializers.IntegerField(required=False, default=10)


class ChallengeWriteSerializer(serializers.Serializer):
    """Types only: the services judge the values (and answer with field errors)."""

    title = serializers.CharField(allow_blank=True)
    slug = serializers.CharField(required=False, allow_blank=True)
    pitch = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    themes = serializers.ListField(child=serializers.CharField(), required=False)
    audience = serializers.CharField(required=False)
    employee_email_domains = serializers.ListField(child=serializers.CharField(), required=False)
    allow_text = serializers.BooleanField(required=False)
    allow_image = serializers.BooleanField(required=False)
    allow_video = serializers.BooleanField(required=False)
    text_max_chars = serializers.IntegerField(required=False)
    image_max_mb = serializers.IntegerField(required=False)
    video_max_mb = serializers.IntegerField(required=False)
    video_max_seconds = serializers.IntegerField(required=False)
    moderation = serializers.CharField(required=False)
    flags_to_hide = serializers.IntegerField(required=False)
    voters = serializers.CharField(required=False)
    votes_per_round = serializers.IntegerField(required=False, allow_null=True)
    self_vote_allowed = serializers.BooleanField(required=False)
    show_vote_counts = serializers.BooleanField(required=False)
    round_covers = serializers.CharField(required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    cadence = serializers.CharField(required=False)
    cadence_days = serializers.IntegerField(required=False, allow_null=True)
    shortlist_size = serializers.IntegerField(required=False)
    weekly_winners_can_win_grand = serializers.BooleanField(required=False)
    jury_size = serializers.IntegerField(required=False)
    jury_blind = serializers.BooleanField(required=False)
    jury_guidance = serializers.CharField(required=False, allow_blank=True)
    terms_text = serializers.CharField(required=False, allow_blank=True)
    prizes = PrizeInputSerializer(many=True, required=False)
    criteria = CriterionInputSerializer(many=True, required=False)


def _console_detail(request, campaign) -> Response:
    campaign = selectors.campaign_for_console(request, campaign.slug)
    return ConsoleChallengeSerializer(campaign, context={"request": request}).data


# --- Views -------------------------------------------------------------------------------


class ChallengePagination(CursorPagination):
    ordering = ("-starts_at", "-id")


@extend_schema(tags=["challenges"])
class ChallengeListView(generics.ListAPIView):
    """Published challenges this visitor may see, the latest start first."""

    serializer_class = ChallengeSerializer
    permission_classes = [AllowAny]
    pagination_class = ChallengePagination

    def get_queryset(self):
        return selectors.visible_campaigns(self.request)


@extend_schema(tags=["challenges"])
class ChallengeDetailView(generics.RetrieveAPIView):
    serializer_class = ChallengeSerializer
    permission_classes = [AllowAny]

    def get_object(self):
        return selectors.campaign_for_viewer(self.request, self.kwargs["slug"])


@extend_schema(tags=["challenges"])
class ChallengeRoundsView(generics.ListAPIView):
    """A challenge's rounds in order, the grand round last."""

    serializer_class = RoundSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self):
        campaign = selectors.campaign_for_viewer(self.request, self.kwargs["slug"])
        return campaign.rounds.all()


class _ConsolePermissions:
    """Reading needs a console role; writing needs an admin."""

    def get_permissions(self):
        roles = (
            CONSOLE_ROLES if self.request.method in ("GET", "HEAD", "OPTIONS") else (Role.ADMIN,)
        )
        return [HasTenantRole.of(*roles)()]


@extend_schema(tags=["console"])
class ConsoleChallengeListView(_ConsolePermissions, generics.ListCreateAPIView):
    serializer_class = ConsoleChallengeSerializer

    def get_queryset(self):
        return selectors.with_details(Campaign.objects.filter(tenant=self.request.tenant))

    @extend_schema(request=ChallengeWriteSerializer, responses=ConsoleChallengeSerializer)
    def post(self, request, *args, **kwargs):
        """Create a draft challenge (with its prizes and rubric if given)."""
        values = valid_input(request, ChallengeWriteSerializer)
        campaign = services.campaign_create(tenant=request.tenant, actor=request.user, **values)
        return Response(_console_detail(request, campaign), status=201)


@extend_schema(tags=["console"])
class ConsoleChallengeDetailView(_ConsolePermissions, generics.RetrieveUpdateAPIView):
    serializer_class = ConsoleChallengeSerializer
    http_method_names = ["get", "patch", "options", "head"]

    def get_object(self):
        return selectors.campaign_for_console(self.request, self.kwargs["slug"])

    @extend_schema(request=ChallengeWriteSerializer, responses=ConsoleChallengeSerializer)
    def patch(self, request, *args, **kwargs):
        """Change some settings; `prizes` and `criteria`, when given, replace them whole."""
        campaign = self.get_object()
        data = valid_input(request, ChallengeWriteSerializer, partial=True)
        campaign = services.campaign_update(campaign=campaign, actor=request.user, **dict(data))
        return Response(_console_detail(request, campaign))


@extend_schema(tags=["console"])
class ConsoleChallengePublishView(APIView):
    permission_classes = [HasTenantRole.of(Role.ADMIN)]

    @extend_schema(request=None, responses=ConsoleChallengeSerializer)
    def post(self, request, slug):
        """Publish a draft: it opens at its start (at once if the start has passed)."""
        campaign = selectors.campaign_for_console(request, slug)
        campaign = services.campaign_publish(campaign=campaign, actor=request.user)
        return Response(_console_detail(request, campaign))
