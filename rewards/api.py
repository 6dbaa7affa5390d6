"""API of rewards: a challenge's winners and leaderboards, a person's payouts
and payment details; for the brand's owners and admins, payouts (approve,
fail, cancel), the bank export and its outcome, the paying account, a
prize's shares and a challenge's books. The same services and selectors as
the pages, the same error format (`{"error": {"code", "message", "fields"}}`).
"""

import uuid

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import selectors as campaign_selectors
from core.api import valid_input
from core.permissions import HasTenantRole, KeyScope, Role
from rewards import selectors, services, splits
from rewards.models import Payout

# Brand API keys need the payouts scope here, to read as well as to change.
MANAGERS = HasTenantRole.of(Role.ADMIN, key_scope=KeyScope.PAYOUTS)

# --- Serializers -------------------------------------------------------------------------------


class ShareSerializer(serializers.Serializer):
    name = serializers.CharField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class WinnerSerializer(serializers.Serializer):
    award = serializers.UUIDField(source="award.public_id")
    round = serializers.CharField(source="round_label")
    place = serializers.IntegerField(source="award.rank")
    idea = serializers.SerializerMethodField()
    idea_title = serializers.CharField(source="award.idea_title")
    amount = serializers.DecimalField(source="award.amount", max_digits=12, decimal_places=2)
    currency = serializers.CharField(source="award.currency")
    shares = ShareSerializer(many=True)

    def get_idea(self, obj) -> str | None:
        return str(obj.award.idea.public_id) if obj.award.idea else None


class ContributorSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    points = serializers.IntegerField()
    ideas = serializers.IntegerField()
    votes = serializers.IntegerField()
    shortlisted = serializers.IntegerField()
    wins = serializers.IntegerField()
    comments = serializers.IntegerField()


class PayoutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    challenge = serializers.CharField(source="campaign.slug")
    idea_title = serializers.CharField(source="award.idea_title")
    recipient = serializers.CharField(source="recipient_name")
    share_percent = serializers.SerializerMethodField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    state = serializers.ChoiceField(choices=Payout.State.choices)
    failure_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)

    def get_share_percent(self, obj) -> str:
        return str(splits.percent(obj.share_bp))


class DetailsInSerializer(serializers.Serializer):
    holder_name = serializers.CharField(allow_blank=True, max_length=200)
    iban = serializers.CharField(allow_blank=True, max_length=64)
    bic = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)


class DetailsOutSerializer(serializers.Serializer):
    holder_name = serializers.CharField()
    iban = serializers.CharField(source="masked_iban")
    bic = serializers.CharField()
    updated_at = serializers.DateTimeField()


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), max_length=1000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class BatchSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    provider = serializers.CharField()
    state = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class SettingsSerializer(serializers.Serializer):
    debtor_name = serializers.CharField(allow_blank=True, max_length=200)
    debtor_iban = serializers.CharField(allow_blank=True, max_length=64)
    debtor_bic = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)


class BooksSerializer(serializers.Serializer):
    currency = serializers.CharField()
    awards = serializers.IntegerField()
    promised = serializers.DecimalField(max_digits=14, decimal_places=2)
    to_pay = serializers.DecimalField(max_digits=14, decimal_places=2)
    approved = serializers.DecimalField(max_digits=14, decimal_places=2)
    exported = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    withdrawn = serializers.DecimalField(max_digits=14, decimal_places=2)
    balanced = serializers.BooleanField()


class SplitInSerializer(serializers.Serializer):
    shares = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        help_text="{person's public id: percent}, adding up to 100",
    )


# --- Public ---------------------------------------------------------------------------------------


class WinnersView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=WinnerSerializer(many=True), tags=["rewards"])
    def get(self, request, slug):
        campaign = campaign_selectors.campaign_for_viewer(request, slug)
        return Response(WinnerSerializer(selectors.winners_of(campaign), many=True).data)


class LeaderboardView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ContributorSerializer(many=True), tags=["rewards"])
    def get(self, request, slug=None):
        campaign = campaign_selectors.campaign_for_viewer(request, slug) if slug else None
        rows = selectors.leaderboard(tenant=request.tenant, campaign=campaign, limit=50)
        return Response(ContributorSerializer(rows, many=True).data)


class MyPayoutsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PayoutSerializer(many=True), tags=["rewards"])
    def get(self, request):
        rows = selectors.my_payouts(tenant=request.tenant, user=request.user)
        return Response(PayoutSerializer(rows, many=True).data)


class MyPayoutDetailsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DetailsOutSerializer, tags=["rewards"])
    def get(self, request):
        details = selectors.details_of(tenant=request.tenant, user=request.user)
        if details is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(DetailsOutSerializer(details).data)

    @extend_schema(request=DetailsInSerializer, responses=DetailsOutSerializer, tags=["rewards"])
    def put(self, request):
        data = valid_input(request, DetailsInSerializer)
        details = services.payout_details_save(tenant=request.tenant, user=request.user, **data)
        return Response(DetailsOutSerializer(details).data)


# --- Console --------------------------------------------------------------------------------------


class ConsolePayoutsView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(
        parameters=[
            OpenApiParameter("state", enum=selectors.CONSOLE_FILTERS),
            OpenApiParameter("challenge", str),
        ],
        responses=PayoutSerializer(many=True),
        tags=["rewards"],
    )
    def get(self, request):
        state = request.query_params.get("state") or "ready"
        if state not in selectors.CONSOLE_FILTERS:
            state = "ready"
        rows = selectors.console_payouts(
            tenant=request.tenant,
            state=state,
            campaign=str(request.query_params.get("challenge", ""))[:60],
        )
        return Response(PayoutSerializer(rows, many=True).data)


def _payouts_of(request, ids) -> list[Payout]:
    found = selectors.payouts_by_ids(tenant=request.tenant, public_ids=[str(i) for i in ids])
    if len(found) != len(set(ids)):
        raise services.RewardsError(
            "Some of these payouts do not exist.", code="not_found", fields={"ids": ["Unknown id."]}
        )
    return found


class ApproveView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(request=IdsSerializer, responses=PayoutSerializer(many=True), tags=["rewards"])
    def post(self, request):
        data = valid_input(request, IdsSerializer)
        chosen = _payouts_of(request, data["ids"])
        services.payouts_approve(tenant=request.tenant, payouts=chosen, actor=request.user)
        rows = selectors.payouts_by_ids(
            tenant=request.tenant, public_ids=[p.public_id for p in chosen]
        )
        return Response(PayoutSerializer(_with_details(rows), many=True).data)


def _with_details(rows):
    ids = [p.pk for p in rows]
    return list(
        Payout.objects.filter(pk__in=ids).select_related("award", "campaign").order_by("pk")
    )


class FailView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(request=ReasonSerializer, responses=PayoutSerializer, tags=["rewards"])
    def post(self, request, public_id: uuid.UUID):
        payout = selectors.payout_for_console(request, public_id)
        data = valid_input(request, ReasonSerializer)
        payout = services.payout_mark_failed(
            payout=payout, actor=request.user, reason=data["reason"]
        )
        return Response(PayoutSerializer(_with_details([payout])[0]).data)


class CancelView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(request=ReasonSerializer, responses=PayoutSerializer, tags=["rewards"])
    def post(self, request, public_id: uuid.UUID):
        payout = selectors.payout_for_console(request, public_id)
        data = valid_input(request, ReasonSerializer)
        payout = services.payout_cancel(payout=payout, actor=request.user, reason=data["reason"])
        return Response(PayoutSerializer(_with_details([payout])[0]).data)


class BatchesView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(responses=BatchSerializer(many=True), tags=["rewards"])
    def get(self, request):
        return Response(BatchSerializer(selectors.batches(tenant=request.tenant), many=True).data)

    @extend_schema(
        request=None,
        responses={201: BatchSerializer},
        tags=["rewards"],
        description="Export every approved payout into one SEPA credit-transfer file "
        "(pain.001.001.03, validated against its schema). Fetch it from `…/file`.",
    )
    def post(self, request):
        batch = services.batch_export(tenant=request.tenant, actor=request.user)
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class BatchFileView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(responses={(200, "application/xml"): bytes}, tags=["rewards"])
    def get(self, request, public_id: uuid.UUID):
        batch = selectors.batch_for_console(request, public_id)
        response = HttpResponse(services.batch_file(batch), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{batch.file_name}"'
        response["Cache-Control"] = "no-store"
        return response


class BatchPaidView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(request=None, responses=BatchSerializer, tags=["rewards"])
    def post(self, request, public_id: uuid.UUID):
        batch = selectors.batch_for_console(request, public_id)
        return Response(
            BatchSerializer(services.batch_mark_paid(batch=batch, actor=request.user)).data
        )


class SettingsView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(responses=SettingsSerializer, tags=["rewards"])
    def get(self, request):
        current = selectors.payout_settings(tenant=request.tenant)
        if current is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(SettingsSerializer(current).data)

    @extend_schema(request=SettingsSerializer, responses=SettingsSerializer, tags=["rewards"])
    def put(self, request):
        data = valid_input(request, SettingsSerializer)
        saved = services.payout_settings_save(tenant=request.tenant, actor=request.user, **data)
        return Response(SettingsSerializer(saved).data)


class BooksView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(responses=BooksSerializer(many=True), tags=["rewards"])
    def get(self, request, slug):
        campaign = campaign_selectors.campaign_for_console(request, slug)
        return Response(BooksSerializer(selectors.books_of(campaign), many=True).data)


class SplitView(APIView):
    permission_classes = [MANAGERS]

    @extend_schema(
        request=SplitInSerializer, responses=PayoutSerializer(many=True), tags=["rewards"]
    )
    def put(self, request, public_id: uuid.UUID):
        award = selectors.award_for_console(request, public_id)
        data = valid_input(request, SplitInSerializer)
        people = {str(u.public_id): u for u in services.contributors_of(award)}
        shares = []
        for person_id, percent in data["shares"].items():
            person = people.get(str(person_id))
            if person is None:
                raise services.RewardsError(
                    "Only the idea's author and co-authors can share the prize.",
                    fields={"shares": ["Unknown person."]},
                )
            shares.append((person, int(percent * 100)))
        payouts = services.award_split_set(award=award, shares=shares, actor=request.user)
        return Response(PayoutSerializer(_with_details(payouts), many=True).data)
