"""API: list, search and read ideas; submit (multipart), edit, withdraw; comment;
flag; and the console's moderation (stages, labels and owners: api_stages.py).
The same services and selectors as the pages, the same error format
(`{"error": {"code", "message", "fields"}}`).

Lists are keyset pages: `{"results": [...], "next": "<url or null>"}`; pass the
`cursor` of `next` to go on. Uploads stream to a temporary file (ideas.uploads).
"""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import selectors as campaign_selectors
from core.access import tenant_row_or_404
from core.api import cursor_page, valid_input
from core.permissions import HasTenantRole, Role
from core.ratelimit import rate_limited
from ideas import selectors, services, sharing, video_links
from ideas.models import Comment, Flag, Idea
from ideas.uploads import interrupted_error, too_large_error, upload_handlers
from ideas.views.public import searching, typing_a_title

# --- Serializers ---------------------------------------------------------------------------


class MediaSerializer(serializers.Serializer):
    kind = serializers.CharField()
    status = serializers.CharField()
    failure = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    duration = serializers.FloatField(allow_null=True)
    thumbnail = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()
    share_card = serializers.SerializerMethodField()
    video = serializers.SerializerMethodField()

    def _url(self, stored):
        if not stored:
            return None
        return sharing.absolute(self.context["request"], stored.url)

    def get_thumbnail(self, obj) -> str | None:
        return self._url(obj.thumbnail)

    def get_detail(self, obj) -> str | None:
        return self._url(obj.detail)

    def get_share_card(self, obj) -> str | None:
        return self._url(obj.share_card)

    def get_video(self, obj) -> str | None:
        return self._url(obj.video)


class IdeaSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    # Plain strings in the schema: these names are shared with rounds' and
    # votes' own choice sets.
    kind = serializers.CharField(read_only=True, help_text="text, image or video")
    state = serializers.CharField(
        read_only=True,
        help_text="draft, pending, published, hidden, rejected, withdrawn or merged",
    )
    challenge = serializers.CharField(source="campaign.slug", read_only=True)
    stage = serializers.CharField(
        read_only=True,
        help_text="What the brand made of it: none, under_review, selected, "
        "in_development, launched or declined",
    )
    stage_note = serializers.SerializerMethodField(
        help_text="Why a declined idea was declined (public); empty otherwise."
    )
    round = serializers.SerializerMethodField()
    author_name = serializers.SerializerMethodField()
    media = serializers.SerializerMethodField()
    video_link = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    processing = serializers.BooleanField(source="is_processing", read_only=True)
    vote_count = serializers.SerializerMethodField(
        help_text="Null while the challenge hides its vote totals (voting open), "
        "except for the brand's team."
    )
    round_vote_count = serializers.SerializerMethodField(
        help_text="Null while the challenge hides its vote totals, as vote_count."
    )

    class Meta:
        model = Idea
        fields = [
            "id",
            "challenge",
            "round",
            "kind",
            "title",
            "body",
            "tags",
            "state",
            "stage",
            "stage_note",
            "processing",
            "author_name",
            "media",
            "video_link",
            "vote_count",
            "round_vote_count",
            "comment_count",
            "created_at",
            "published_at",
            "url",
        ]

    def _totals_shown(self, obj) -> bool:
        """Asked once per challenge of the answer (a list holds one challenge)."""
        shown = self.context.setdefault("totals_shown", {})
        if obj.campaign_id not in shown:
            shown[obj.campaign_id] = campaign_selectors.vote_totals_shown(
                self.context["request"], obj.campaign
            )
        return shown[obj.campaign_id]

    def get_vote_count(self, obj) -> int | None:
        return obj.vote_count if self._totals_shown(obj) else None

    def get_round_vote_count(self, obj) -> int | None:
        return obj.round_vote_count if self._totals_shown(obj) else None

    def get_stage_note(self, obj) -> str:
        return obj.stage_note if obj.stage == Idea.Stage.DECLINED else ""

    def get_round(self, obj) -> str | None:
        return str(obj.round.public_id) if obj.round_id and obj.round else None

    def get_author_name(self, obj) -> str:
        name = getattr(obj, "author_name", None)
        return name if name is not None else selectors.author_name(obj)

    def get_media(self, obj) -> dict | None:
        media = selectors.media_of(obj)
        if media is None:
            return None
        return MediaSerializer(media, context=self.context).data

    def get_video_link(self, obj) -> dict | None:
        if not obj.video_ref:
            return None
        return {
            "provider": obj.video_provider,
            "id": obj.video_ref,
            "embed_url": video_links.embed_url(obj.video_provider, obj.video_ref),
        }

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class IdeaOwnSerializer(IdeaSerializer):
    """What the author (or the console) sees besides: why it waits."""

    hold_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    moderation_reason = serializers.CharField(read_only=True)

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "hold_reasons", "moderation_reason", "flag_count"]


class IdeaWriteSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    tags = serializers.CharField(required=False, allow_blank=True, help_text="Comma-separated.")
    image = serializers.FileField(required=False, help_text="JPEG, PNG, WebP or HEIC.")
    video = serializers.FileField(required=False, help_text="MP4, MOV or WebM.")
    video_url = serializers.CharField(required=False, allow_blank=True)
    draft = serializers.BooleanField(required=False, default=False)
    submit = serializers.BooleanField(required=False, default=False)
    remove_media = serializers.BooleanField(required=False, default=False)


class CommentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    state = serializers.CharField(
        read_only=True, help_text="pending, published, hidden, rejected or withdrawn"
    )
    parent = serializers.SerializerMethodField()
    author_name = serializers.CharField(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "parent", "author_name", "body", "state", "created_at"]

    def get_parent(self, obj) -> str | None:
        return str(obj.parent.public_id) if obj.parent_id else None


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    parent = serializers.UUIDField(required=False, allow_null=True)


class FlagWriteSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ModerationDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=200)
    action = serializers.ChoiceField(choices=services.MODERATION_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True)


class ModerationResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.UUIDField())
    skipped = serializers.ListField(
        child=serializers.UUIDField(), help_text="Already decided, or still processing."
    )


class MergeSerializer(serializers.Serializer):
    into = serializers.UUIDField()
    reason = serializers.CharField(required=False, allow_blank=True)


class HistorySerializer(serializers.Serializer):
    action = serializers.CharField()
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()

    def get_actor(self, obj) -> str | None:
        return obj.actor.public_name if obj.actor_id else None


# --- Helpers ------------------------------------------------------------------------------


class StreamedUploadsMixin:
    """Multipart bodies stream to a temporary file, capped (ideas.uploads),
    before authentication's CSRF check reads them."""

    def initialize_request(self, request, *args, **kwargs):
        if request.method in ("POST", "PATCH", "PUT"):
            request.upload_handlers = upload_handlers(request)
        return super().initialize_request(request, *args, **kwargs)

    def check_upload_size(self, request):
        request.data  # noqa: B018 - parse the body now: the upload handler notes an oversize file
        if getattr(request._request, "upload_too_large", False):
            raise too_large_error()
        if getattr(request._request, "upload_interrupted", False):
            raise interrupted_error()


def _idea_or_404(request, public_id) -> Idea:
    return selectors.idea_for_viewer(request, public_id)


def _check_take_part(request, campaign):
    if not campaign_selectors.can_take_part(request, campaign):
        raise Http404


GALLERY_PARAMETERS = [
    OpenApiParameter(
        "sort",
        str,
        enum=[*selectors.SORTS, selectors.RELEVANCE],
        description="While a challenge hides its vote totals, the sorts made of votes "
        "(round, votes, trending) answer the newest first, except for the brand's team.",
    ),
    OpenApiParameter("q", str, description="Full-text search in the tenant's language."),
    OpenApiParameter("round", str, description="A round's id."),
    OpenApiParameter("tag", str),
    OpenApiParameter("kind", str, enum=Idea.Kind.values),
    OpenApiParameter("cursor", str),
    OpenApiParameter("page_size", int),
]


# --- Participants ----------------------------------------------------------------------------


@extend_schema(tags=["ideas"])
class IdeaListView(StreamedUploadsMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=GALLERY_PARAMETERS, responses=IdeaSerializer(many=True))
    @rate_limited("search", methods=("GET",), visitors=True, when=searching)
    def get(self, request, slug):
        """A challenge's published ideas: sorts, filters, search, keyset pages."""
        campaign = campaign_selectors.campaign_for_viewer(request, slug)
        by_votes = campaign_selectors.vote_totals_shown(request, campaign)
        query = selectors.GalleryQuery.from_params(request.query_params, by_votes=by_votes)
        page = selectors.gallery_page(campaign, query)
        return cursor_page(request, page.ideas, page.next_cursor, IdeaSerializer, query.params())

    @extend_schema(
        request={"multipart/form-data": IdeaWriteSerializer}, responses=IdeaOwnSerializer
    )
    @rate_limited("submissions")
    def post(self, request, slug):
        """Submit an idea (or keep it as a draft with `draft=true`). Multipart for
        an image or a video file; JSON works for text and video links."""
        if not request.user.is_authenticated:
            return Response(
                {"error": {"code": "not_authenticated", "message": "Sign in.", "fields": {}}},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        self.check_upload_size(request)
        campaign = campaign_selectors.campaign_for_viewer(request, slug)
        _check_take_part(request, campaign)
        values = valid_input(request, IdeaWriteSerializer)
        idea = services.idea_submit(
            campaign=campaign,
            author=request.user,
            title=values.get("title", ""),
            body=values.get("body", ""),
            tags=values.get("tags", ""),
            image=values.get("image"),
            video=values.get("video"),
            video_url=values.get("video_url", ""),
            draft=values.get("draft", False),
        )
        return Response(
            IdeaOwnSerializer(idea, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["ideas"])
class SimilarIdeasView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("title", str, required=True)],
        responses=IdeaSerializer(many=True),
    )
    @rate_limited("search", methods=("GET",), visitors=True, when=typing_a_title)
    def get(self, request, slug):
        """Up to five published ideas of the challenge that look like this title."""
        campaign = campaign_selectors.campaign_for_viewer(request, slug)
        ideas = selectors.similar_ideas(
            campaign,
            str(request.query_params.get("title", ""))[:120],
            by_votes=campaign_selectors.vote_totals_shown(request, campaign),
        )
        for idea in ideas:
            idea.author_name = ""
        data = IdeaSerializer(ideas, many=True, context={"request": request}).data
        return Response({"results": data})


@extend_schema(tags=["ideas"])
class IdeaDetailView(StreamedUploadsMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=IdeaSerializer)
    def get(self, request, public_id):
        """One idea. A merged idea answers 301 with the idea it joined in `Location`."""
        idea = _idea_or_404(request, public_id)
        if idea.state == Idea.State.MERGED and idea.merged_into_id:
            location = reverse("api:idea-detail", kwargs={"public_id": idea.merged_into.public_id})
            return Response(
                status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": location}
            )
        mine = services.is_author(request.user, idea)
        serializer = IdeaOwnSerializer if mine else IdeaSerializer
        return Response(serializer(idea, context={"request": request}).data)

    @extend_schema(
        request={"multipart/form-data": IdeaWriteSerializer}, responses=IdeaOwnSerializer
    )
    def patch(self, request, public_id):
        """The author changes their idea (until its first vote); `submit=true`
        submits a draft."""
        if not request.user.is_authenticated:
            raise Http404
        self.check_upload_size(request)
        idea = selectors.idea_for_author(request, public_id)
        values = valid_input(request, IdeaWriteSerializer, partial=True)
        idea = services.idea_update(
            idea=idea,
            actor=request.user,
            title=values.get("title"),
            body=values.get("body"),
            tags=values.get("tags"),
            image=values.get("image"),
            video=values.get("video"),
            video_url=values.get("video_url"),
            remove_media=values.get("remove_media", False),
            submit=values.get("submit", False),
        )
        idea = selectors.idea_for_author(request, idea.public_id)
        return Response(IdeaOwnSerializer(idea, context={"request": request}).data)


@extend_schema(tags=["ideas"])
class IdeaWithdrawView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=IdeaOwnSerializer)
    def post(self, request, public_id):
        idea = selectors.idea_for_author(request, public_id)
        idea = services.idea_withdraw(idea=idea, actor=request.user)
        return Response(IdeaOwnSerializer(idea, context={"request": request}).data)


@extend_schema(tags=["ideas"])
class CommentListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request, public_id):
        """Published comments, oldest first, replies right after their comment."""
        idea = _idea_or_404(request, public_id)
        flat = []
        for comment in selectors.comments_of(idea, viewer=request.user):
            flat.append(comment)
            flat.extend(comment.thread)
        return Response(
            {"results": CommentSerializer(flat, many=True, context={"request": request}).data}
        )

    @extend_schema(request=CommentWriteSerializer, responses=CommentSerializer)
    @rate_limited("comments")
    def post(self, request, public_id):
        if not request.user.is_authenticated:
            return Response(
                {"error": {"code": "not_authenticated", "message": "Sign in.", "fields": {}}},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        idea = _idea_or_404(request, public_id)
        _check_take_part(request, idea.campaign)
        data = valid_input(request, CommentWriteSerializer)
        parent = None
        if data.get("parent"):
            parent = Comment.objects.filter(idea=idea, public_id=data["parent"]).first()
            if parent is None:
                raise Http404
        comment = services.comment_post(
            idea=idea, author=request.user, body=data["body"], parent=parent
        )
        comment.author_name = request.user.public_name
        return Response(
            CommentSerializer(comment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["ideas"])
class IdeaFlagView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=FlagWriteSerializer, responses={201: None})
    @rate_limited("flags")
    def post(self, request, public_id):
        idea = _idea_or_404(request, public_id)
        data = valid_input(request, FlagWriteSerializer)
        services.idea_flag(idea=idea, reporter=request.user, **data)
        return Response({"flagged": True}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ideas"])
class CommentFlagView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=FlagWriteSerializer, responses={201: None})
    @rate_limited("flags")
    def post(self, request, public_id):
        comment = tenant_row_or_404(
            request, Comment.objects.select_related("idea"), public_id=public_id
        )
        if comment.state != Comment.State.PUBLISHED:
            raise Http404
        _idea_or_404(request, comment.idea.public_id)
        data = valid_input(request, FlagWriteSerializer)
        services.comment_flag(comment=comment, reporter=request.user, **data)
        return Response({"flagged": True}, status=status.HTTP_201_CREATED)


# --- The console's moderation ------------------------------------------------------------------


class _Moderators:
    permission_classes = [IsAuthenticated, HasTenantRole.of(Role.MODERATOR)]


class ModerationIdeaSerializer(IdeaOwnSerializer):
    author_name = serializers.CharField(read_only=True)
    open_flags = serializers.SerializerMethodField()

    class Meta(IdeaOwnSerializer.Meta):
        fields = [*IdeaOwnSerializer.Meta.fields, "open_flags"]

    def get_open_flags(self, obj) -> list[dict]:
        return [{"reason": f.reason, "note": f.note} for f in getattr(obj, "open_flags", [])]


def _moderation_decision(request, kind: str, find, moderate) -> Response:
    """A moderator's decision on ideas or comments (`kind`) by their ids: all
    of them found in this tenant, or 404; then the service `moderate`."""
    data = valid_input(request, ModerationDecisionSerializer)
    found = find(tenant=request.tenant, public_ids=data["ids"])
    if len(found) != len(set(data["ids"])):
        raise Http404
    result = moderate(
        **{kind: found},
        actor=request.user,
        action=data["action"],
        reason=data.get("reason", ""),
    )
    return Response({key: [str(x.public_id) for x in result[key]] for key in ("done", "skipped")})


@extend_schema(tags=["moderation"])
class ModerationIdeasView(_Moderators, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(selectors.QUEUE_FILTERS)),
            OpenApiParameter("campaign", str, description="A challenge's slug."),
            OpenApiParameter("reason", str, enum=Idea.Hold.values),
            OpenApiParameter("kind", str, enum=Idea.Kind.values),
            OpenApiParameter("stage", str, enum=Idea.Stage.values),
            OpenApiParameter("label", str, description="A label's id."),
            OpenApiParameter("q", str),
            OpenApiParameter("cursor", str),
        ],
        responses=ModerationIdeaSerializer(many=True),
    )
    def get(self, request):
        """The moderation queue (oldest first), with open flags."""
        query = selectors.QueueQuery.from_params(request.query_params)
        rows, next_cursor = selectors.moderation_queue(tenant=request.tenant, query=query)
        return cursor_page(request, rows, next_cursor, ModerationIdeaSerializer, query.params())


@extend_schema(tags=["moderation"])
class ModerationIdeaDecisionView(_Moderators, APIView):
    @extend_schema(request=ModerationDecisionSerializer, responses=ModerationResultSerializer)
    def post(self, request):
        """Approve, hide or reject ideas (a reason is required to hide or reject;
        the authors are told)."""
        return _moderation_decision(
            request, "ideas", selectors.ideas_for_moderation, services.ideas_moderate
        )


@extend_schema(tags=["moderation"])
class ModerationCommentsView(_Moderators, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=list(selectors.QUEUE_FILTERS))],
        responses=CommentSerializer(many=True),
    )
    def get(self, request):
        status_filter = request.query_params.get("status", "waiting")
        if status_filter not in selectors.QUEUE_FILTERS:
            status_filter = "waiting"
        rows = selectors.comment_queue(tenant=request.tenant, status=status_filter)
        return Response(
            {"results": CommentSerializer(rows, many=True, context={"request": request}).data}
        )


@extend_schema(tags=["moderation"])
class ModerationCommentDecisionView(_Moderators, APIView):
    @extend_schema(request=ModerationDecisionSerializer, responses=ModerationResultSerializer)
    def post(self, request):
        """Approve, hide or reject comments (a reason is required to hide or reject)."""
        return _moderation_decision(
            request, "comments", selectors.comments_for_moderation, services.comments_moderate
        )


@extend_schema(tags=["moderation"])
class IdeaMergeView(_Moderators, APIView):
    @extend_schema(request=MergeSerializer, responses=IdeaOwnSerializer)
    def post(self, request, public_id):
        """Merge this idea into another of the same challenge."""
        duplicate = selectors.idea_for_console(request, public_id)
        data = valid_input(request, MergeSerializer)
        into = selectors.idea_for_console(request, data["into"])
        into = services.idea_merge(
            duplicate=duplicate,
            into=into,
            actor=request.user,
            reason=data.get("reason", ""),
        )
        return Response(IdeaOwnSerializer(into, context={"request": request}).data)


@extend_schema(tags=["moderation"])
class IdeaHistoryView(_Moderators, APIView):
    @extend_schema(responses=HistorySerializer(many=True))
    def get(self, request, public_id):
        """Every decision on the idea and its comments: who, when, why."""
        idea = selectors.idea_for_console(request, public_id)
        entries = selectors.history_of(idea)
        return Response({"results": HistorySerializer(entries, many=True).data})
