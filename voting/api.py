"""API: vote and withdraw, a round's ranking, my votes; for the console, the
review of votes (bulk accept or void) and disqualification. The same services
and selectors as the pages, the same error format
(`{"error": {"code", "message", "fields"}}`).

Casting twice answers 200 with `"changed": false` (201 when the vote is new);
withdrawing without a vote answers 200 with `"changed": false`. Vote totals
are `null` while the challenge hides them.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import selectors as campaign_selectors
from core.api import cursor_page, valid_input
from core.errors import error_body
from core.permissions import HasTenantRole, Role, is_team
from ideas import selectors as idea_selectors
from voting import selectors, services
from voting.views.public import client_ip

# --- Serializers -----------------------------------------------------------------------------


class VoteResultSerializer(serializers.Serializer):
    idea = serializers.UUIDField(source="idea.public_id")
    voted = serializers.BooleanField()
    changed = serializers.BooleanField()
    status = serializers.CharField(help_text="counted, quarantined, void, or empty")
    vote_count = serializers.SerializerMethodField()
    round_vote_count = serializers.SerializerMethodField()
    votes_left = serializers.IntegerField(allow_null=True)

    def _visible(self, obj) -> bool:
        return selectors.totals_visible(obj.idea.campaign)

    def get_vote_count(self, obj) -> int | None:
        return obj.vote_count if self._visible(obj) else None

    def get_round_vote_count(self, obj) -> int | None:
        return obj.round_vote_count if self._visible(obj) else None


class RankedRoundSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    challenge = serializers.CharField(source="campaign.slug")
    index = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()
    starts_at = serializers.DateTimeField()
    voting_ends_at = serializers.DateTimeField()


class RankingRowSerializer(serializers.Serializer):
    idea = serializers.UUIDField(source="idea.public_id")
    title = serializers.CharField(source="idea.title")
    url = serializers.SerializerMethodField()
    rank = serializers.IntegerField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    votes = serializers.IntegerField()
    disqualified = serializers.BooleanField()

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.idea.get_absolute_url())


class RankingSerializer(serializers.Serializer):
    round = RankedRoundSerializer()
    frozen = serializers.BooleanField()
    frozen_at = serializers.DateTimeField(allow_null=True)
    corrected_at = serializers.DateTimeField(allow_null=True)
    total_votes = serializers.IntegerField()
    results = RankingRowSerializer(many=True, source="rows")


class _VoteSerializer(serializers.Serializer):
    """What a vote says to its voter and to the brand's reviewers alike."""

    idea = serializers.UUIDField(source="idea.public_id")
    challenge = serializers.CharField(source="idea.campaign.slug")
    cast_at = serializers.DateTimeField()
    status = serializers.CharField()


class MyVoteSerializer(_VoteSerializer):
    title = serializers.CharField(source="idea.title")
    round = serializers.UUIDField(source="round.public_id")


class ReviewVoteSerializer(_VoteSerializer):
    id = serializers.UUIDField(source="public_id")
    idea_title = serializers.CharField(source="idea.title")
    risk_score = serializers.IntegerField()
    network = serializers.CharField(source="ip_network")
    browser_signature = serializers.CharField(source="user_agent_hash")
    evidence = serializers.JSONField()


class DecisionSerializer(serializers.Serializer):
    votes = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=5000)
    action = serializers.ChoiceField(choices=[services.ACCEPT, services.VOID])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class DisqualifySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


def _not_signed_in() -> Response:
    return Response(
        error_body("not_authenticated", "Sign in to vote."), status=status.HTTP_401_UNAUTHORIZED
    )


# --- Participants ----------------------------------------------------------------------------


@extend_schema(tags=["voting"])
class IdeaVoteView(APIView):
    permission_classes = [AllowAny]

    def _idea(self, request, public_id):
        idea = selectors.idea_for_vote(request, public_id)
        if not campaign_selectors.can_take_part(request, idea.campaign):
            raise Http404
        return idea

    @extend_schema(request=None, responses={200: VoteResultSerializer, 201: VoteResultSerializer})
    def post(self, request, public_id):
        """Vote for the idea (sign-in and the brand's terms accepted first)."""
        if not request.user.is_authenticated:
            return _not_signed_in()
        idea = self._idea(request, public_id)
        result = services.vote_cast(
            idea=idea,
            voter=request.user,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(
            VoteResultSerializer(result).data,
            status=status.HTTP_201_CREATED if result.changed else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses=VoteResultSerializer)
    def delete(self, request, public_id):
        """Withdraw your vote while voting is open."""
        if not request.user.is_authenticated:
            return _not_signed_in()
        idea = self._idea(request, public_id)
        result = services.vote_withdraw(idea=idea, voter=request.user)
        return Response(VoteResultSerializer(result).data)


@extend_schema(tags=["voting"])
class RoundRankingView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="At most 500 (default 100).")],
        responses=RankingSerializer,
    )
    def get(self, request, public_id):
        """A round's ranking: frozen once its voting closed, live before. While a
        challenge hides vote totals, only its team sees the live ranking (403)."""
        round_ = selectors.round_for_viewer(request, public_id)
        frozen = selectors.snapshot_of(round_) is not None
        if (
            not frozen
            and not selectors.totals_visible(round_.campaign)
            and not is_team(request.user, request.tenant)
        ):
            return Response(
                error_body(
                    "totals_hidden",
                    "This challenge shows its ranking once the round's voting is over.",
                ),
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            limit = max(1, min(500, int(request.query_params.get("limit", 100))))
        except ValueError:
            return Response(
                error_body("invalid", "limit must be a number.", {"limit": ["A number."]}),
                status=status.HTTP_400_BAD_REQUEST,
            )
        ranking = selectors.ranking_for(round_, limit=limit)
        return Response(RankingSerializer(ranking, context={"request": request}).data)


@extend_schema(tags=["voting"])
class MyVotesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("cursor", str)], responses=MyVoteSerializer(many=True)
    )
    def get(self, request):
        """Your votes in this brand's challenges, newest first."""
        votes = selectors.votes_of(tenant=request.tenant, voter=request.user)
        rows, next_cursor = selectors.keyset_page(
            votes, cursor=request.query_params.get("cursor", ""), page_size=100
        )
        return cursor_page(request, rows, next_cursor, MyVoteSerializer, {})


# --- The console --------------------------------------------------------------------------------


class _Moderators:
    permission_classes = [IsAuthenticated, HasTenantRole.of(Role.MODERATOR)]


@extend_schema(tags=["moderation"])
class ReviewVotesView(_Moderators, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(selectors.REVIEW_STATUSES)),
            OpenApiParameter("campaign", str, description="A challenge's slug."),
            OpenApiParameter("idea", str, description="An idea's id."),
            OpenApiParameter("network", str, description="e.g. 203.0.113.0/24"),
            OpenApiParameter("cursor", str),
        ],
        responses=ReviewVoteSerializer(many=True),
    )
    def get(self, request):
        """Votes to review (quarantined by default), newest first, with their evidence."""
        query = selectors.ReviewQuery.from_params(request.query_params)
        rows, next_cursor = selectors.review_page(tenant=request.tenant, query=query)
        return cursor_page(request, rows, next_cursor, ReviewVoteSerializer, query.params())


@extend_schema(tags=["moderation"])
class VoteDecisionView(_Moderators, APIView):
    @extend_schema(request=DecisionSerializer, responses={200: None})
    def post(self, request):
        """Accept (they count) or void (they never count) votes in bulk; a reason
        is required to void. Votes already decided are skipped."""
        data = valid_input(request, DecisionSerializer)
        votes = selectors.votes_for_review(tenant=request.tenant, public_ids=data["votes"])
        if len(votes) != len(set(data["votes"])):
            raise Http404
        result = services.votes_decide(
            votes=votes,
            actor=request.user,
            action=data["action"],
            reason=data.get("reason", ""),
            tenant=request.tenant,
        )
        return Response(
            {
                "done": [str(v.public_id) for v in result["done"]],
                "skipped": [str(v.public_id) for v in result["skipped"]],
            }
        )


@extend_schema(tags=["moderation"])
class DisqualificationView(_Moderators, APIView):
    @extend_schema(request=DisqualifySerializer, responses={201: None})
    def post(self, request, public_id):
        """Take the idea out of the vote (every ranking, frozen ones included)."""
        idea = idea_selectors.idea_for_console(request, public_id)
        data = valid_input(request, DisqualifySerializer)
        reason = data["reason"]
        services.idea_disqualify(idea=idea, actor=request.user, reason=reason)
        return Response({"disqualified": True}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: None})
    def delete(self, request, public_id):
        """Put the idea back in the vote."""
        idea = idea_selectors.idea_for_console(request, public_id)
        changed = services.idea_requalify(idea=idea, actor=request.user)
        return Response({"disqualified": False, "changed": changed})
