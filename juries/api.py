"""API of the jury: a juror's assignments, scoring (autosave), submitting and
conflicts of interest; a round's scores, aggregate and decision. The same
services and selectors as the pages, the same error format.

Blind like the pages: an idea is known by its shortlist entry's id (`idea.id`),
never by its own public id, and no field names its author or an uploaded
file. Who gets what: a juror sees their own assignments; a round's scores and
aggregate go to its jury's members and to the brand's owners and admins, but
never to someone who still has ideas to score in that round; only the chair
decides. Anyone else gets 404.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.pages import round_label
from core.access import tenant_row_or_404
from core.api import valid_input
from core.errors import DomainError
from core.permissions import Role, has_role
from ideas.video_links import embed_url
from juries import selectors, services
from juries.models import Assignment, Shortlist


class ScoresHidden(DomainError):
    code = "scores_hidden"
    status = 403


def _absolute(request, stored) -> str | None:
    if not stored:
        return None
    try:
        return request.build_absolute_uri(stored.url)
    except ValueError:
        return None


def _round_json(round_, shortlist: Shortlist) -> dict:
    return {
        "id": str(round_.public_id),
        "name": f"{round_.campaign.title} · {round_label(round_.campaign, round_)}",
        "state": round_.state,
        "deadline": shortlist.deadline.isoformat(),
    }


# --- Serializers (documentation of the shapes; views build the data) -------------


class JuryRoundSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    state = serializers.CharField()
    deadline = serializers.DateTimeField()


class JuryIdeaSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The idea's id on the shortlist (not its public id).")
    title = serializers.CharField()
    kind = serializers.CharField()


class JuryAssignmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    round = JuryRoundSerializer()
    idea = JuryIdeaSerializer()
    state = serializers.CharField(help_text="pending, submitted or recused")
    scored = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class JuryMediaSerializer(serializers.Serializer):
    kind = serializers.CharField()
    image = serializers.URLField(allow_null=True)
    video = serializers.URLField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class JuryIdeaDetailSerializer(JuryIdeaSerializer):
    body = serializers.CharField()
    media = JuryMediaSerializer(allow_null=True)
    video_embed = serializers.URLField(allow_null=True)


class RoundCriterionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.IntegerField()
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()


class OtherScoreSerializer(serializers.Serializer):
    juror = serializers.CharField()
    values = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    score = serializers.FloatField()


class JuryAssignmentDetailSerializer(JuryAssignmentSerializer):
    idea = JuryIdeaDetailSerializer()
    criteria = RoundCriterionSerializer(many=True)
    scores = serializers.DictField(child=serializers.IntegerField())
    note = serializers.CharField()
    recusal_reason = serializers.CharField()
    guidance = serializers.CharField()
    others = OtherScoreSerializer(many=True)


class ScoresWriteSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        required=False,
        help_text="Criterion id → a whole number within its scale (null clears it).",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX)


class RecuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.REASON_MAX)


class DecisionWriteSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["confirm", "override"])
    winners = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Override: the shortlist ids of the winners, in prize order.",
    )
    reason = serializers.CharField(required=False, allow_blank=True)


# --- Assignments ---------------------------------------------------------------------


def _assignment_row(assignment, shortlist, scored: int) -> dict:
    return {
        "id": str(assignment.public_id),
        "round": _round_json(assignment.round, shortlist),
        "idea": {
            "id": str(assignment.entry.public_id),
            "title": assignment.idea.title,
            "kind": assignment.idea.kind,
        },
        "state": assignment.state,
        "scored": scored,
        "submitted_at": assignment.submitted_at.isoformat() if assignment.submitted_at else None,
    }


def _assignment_detail(request, assignment) -> dict:
    shortlist = assignment.entry.shortlist
    criteria = selectors.criteria_of(shortlist)
    saved = selectors.scores_of(assignment)
    idea = assignment.idea
    media = getattr(idea, "media", None)
    media_json = None
    if media is not None and media.is_ready:
        media_json = {
            "kind": media.kind,
            "image": _absolute(request, media.detail),
            "video": _absolute(request, media.video),
            "width": media.width,
            "height": media.height,
        }
    data = _assignment_row(assignment, shortlist, len(saved))
    data["idea"].update(
        {
            "body": idea.body,
            "media": media_json,
            "video_embed": embed_url(idea.video_provider, idea.video_ref)
            if idea.video_ref
            else None,
        }
    )
    data.update(
        {
            "criteria": [
                {
                    "id": str(c.public_id),
                    "name": c.name,
                    "description": c.description,
                    "weight": c.weight,
                    "scale_min": c.scale_min,
                    "scale_max": c.scale_max,
                }
                for c in criteria
            ],
            "scores": {str(c.public_id): saved[c.pk] for c in criteria if c.pk in saved},
            "note": assignment.note,
            "recusal_reason": assignment.recusal_reason,
            "guidance": assignment.round.campaign.jury_guidance,
            "others": selectors.others_scores(assignment),
        }
    )
    return data


def _team_only(request) -> None:
    if request.tenant is None or not selectors.on_the_team(request):
        raise Http404


@extend_schema(tags=["jury"])
class AssignmentListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("round", str, description="A round's id: its assignments only."),
            OpenApiParameter("state", str, enum=Assignment.State.values),
        ],
        responses=JuryAssignmentSerializer(many=True),
    )
    def get(self, request):
        """My assignments in every jury I sit on, newest round first."""
        _team_only(request)
        rows = []
        for row in selectors.dashboard(request.user, request.tenant):
            if request.query_params.get("round") not in (None, "", str(row.round.public_id)):
                continue
            for a in selectors.assignments_of(row.shortlist, request.user):
                if request.query_params.get("state") in (None, "", a.state):
                    a.round = row.round
                    rows.append(_assignment_row(a, row.shortlist, a.scored))
        return Response({"results": rows})


@extend_schema(tags=["jury"])
class AssignmentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=JuryAssignmentDetailSerializer)
    def get(self, request, public_id):
        """One idea to score: its text and media, the rubric, my scores and note."""
        assignment = selectors.assignment_for_juror(request, public_id)
        return Response(_assignment_detail(request, assignment))


def _juror_step(request, public_id, serializer_class, step) -> Response:
    """A juror's write on one of their assignments: the body read through
    `serializer_class`, `step(assignment, data)` calls the service, the answer
    is the assignment as it now stands."""
    assignment = selectors.assignment_for_juror(request, public_id)
    step(assignment, valid_input(request, serializer_class))
    return Response(_assignment_detail(request, selectors.assignment_for_juror(request, public_id)))


def _scores_step(request, public_id, service) -> Response:
    """Saving or submitting scores: the same body, the same answer."""
    return _juror_step(
        request,
        public_id,
        ScoresWriteSerializer,
        lambda assignment, data: service(
            assignment=assignment,
            juror=request.user,
            values=data.get("scores") or {},
            note=data.get("note"),
        ),
    )


@extend_schema(tags=["jury"])
class AssignmentScoresView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ScoresWriteSerializer, responses=JuryAssignmentDetailSerializer)
    def patch(self, request, public_id):
        """Autosave some scores and/or the private note."""
        return _scores_step(request, public_id, services.score_save)


@extend_schema(tags=["jury"])
class AssignmentSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ScoresWriteSerializer, responses=JuryAssignmentDetailSerializer)
    def post(self, request, public_id):
        """Submit my scores (every criterion scored); scores sent along are saved first."""
        return _scores_step(request, public_id, services.assignment_submit)


@extend_schema(tags=["jury"])
class AssignmentRecuseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RecuseSerializer, responses=JuryAssignmentDetailSerializer)
    def post(self, request, public_id):
        """Declare a conflict of interest on this idea, with a reason."""
        return _juror_step(
            request,
            public_id,
            RecuseSerializer,
            lambda assignment, data: services.assignment_recuse(
                assignment=assignment, juror=request.user, reason=data["reason"]
            ),
        )


# --- A round: scores, aggregate, decision ------------------------------------------------


def _round_for_reader(request, public_id) -> tuple[Shortlist, object]:
    """The round's shortlist for a jury member, or for the brand's owners and
    admins; 404 for anyone else. The second value is the reader's seat (None
    for an administrator who does not sit on the jury)."""
    _team_only(request)
    try:
        return selectors.round_for_member(request, public_id)
    except Http404:
        if not has_role(request.user, request.tenant, Role.ADMIN):
            raise
    shortlist = tenant_row_or_404(
        request,
        Shortlist.objects.select_related("round", "round__campaign", "jury"),
        round__public_id=public_id,
    )
    return shortlist, None


def _check_may_see(request, shortlist) -> None:
    if not selectors.may_see_scores(request.user, shortlist.round):
        raise ScoresHidden(_("You will see the other jurors' scores once yours are in."))


@extend_schema(tags=["jury"])
class RoundScoresView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request, public_id):
        """Every submitted score and conflict of interest of the round (no notes)."""
        shortlist, _seat = _round_for_reader(request, public_id)
        _check_may_see(request, shortlist)
        return Response(
            {
                "round": _round_json(shortlist.round, shortlist),
                "results": selectors.round_scores_rows(shortlist),
            }
        )


@extend_schema(tags=["jury"])
class RoundAggregateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request, public_id):
        """The round's aggregate: live while in review, frozen once decided."""
        shortlist, _seat = _round_for_reader(request, public_id)
        decision = selectors.decision_of(shortlist.round)
        if decision is not None:
            body = decision.aggregate
        else:
            _check_may_see(request, shortlist)
            body = selectors.round_aggregate(shortlist).as_json()
        return Response(
            {"round": _round_json(shortlist.round, shortlist), "aggregate": _blind(body)}
        )


def _blind(aggregate: dict) -> dict:
    """The aggregate as the jury reads it: each idea named by its shortlist entry,
    never by its public id, which leads to the public idea page and its author.
    (The frozen record keeps the idea's id for the brand's own books.)"""
    return {
        **aggregate,
        "ideas": [
            {key: value for key, value in row.items() if key != "idea"}
            for row in aggregate.get("ideas", [])
        ],
    }


def _decision_json(decision) -> dict | None:
    if decision is None:
        return None
    titles = {row["idea"]: row for row in decision.aggregate.get("ideas", [])}
    return {
        "id": str(decision.public_id),
        "kind": decision.kind,
        "reason": decision.reason,
        "winners": [
            {
                "rank": w.rank,
                "idea": {
                    "id": titles.get(str(w.idea.public_id), {}).get("entry"),
                    "title": w.idea.title,
                },
            }
            for w in decision.winners.all()
        ],
        "proposed": decision.proposed,
        "missing_assignments": decision.missing_assignments,
        "decided_by": decision.decided_by.public_name if decision.decided_by else None,
        "decided_at": decision.decided_at.isoformat(),
    }


@extend_schema(tags=["jury"])
class RoundDecisionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request, public_id):
        """The round's decision (`decision` is null until the chair decides)."""
        shortlist, _seat = _round_for_reader(request, public_id)
        return Response({"decision": _decision_json(selectors.decision_of(shortlist.round))})

    @extend_schema(request=DecisionWriteSerializer, responses={200: dict})
    def post(self, request, public_id):
        """The chair confirms the aggregate's proposal, or overrides it with a reason."""
        shortlist, _seat = _round_for_reader(request, public_id)
        data = valid_input(request, DecisionWriteSerializer)
        if data["action"] == "confirm":
            services.decision_confirm(round=shortlist.round, actor=request.user)
        else:
            ids = [str(i) for i in data.get("winners", [])]
            services.decision_override(
                round=shortlist.round,
                actor=request.user,
                winners=selectors.entries_for_decision(shortlist, ids),
                reason=data.get("reason", ""),
            )
        return Response({"decision": _decision_json(selectors.decision_of(shortlist.round))})
