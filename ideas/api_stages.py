"""API: what became of the ideas, for the brand's console — an idea's stage,
labels and owner, the brand's labels, and bulk changes. Reading needs a console
role; changing needs an owner's or administrator's (the services check it).
The public read of a stage is on the ideas themselves (`stage`, `stage_note`)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import valid_input
from core.permissions import HasTenantRole, Role
from ideas import selectors, services
from ideas.models import Idea, Label


class LabelSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(max_length=80)
    colour = serializers.ChoiceField(choices=Label.Colour.choices, default=Label.Colour.GREY)


class StageChangeSerializer(serializers.Serializer):
    """One change of an idea's stage, from its audit trail."""

    created_at = serializers.DateTimeField()
    actor = serializers.SerializerMethodField()
    from_stage = serializers.SerializerMethodField()
    to_stage = serializers.SerializerMethodField()
    note = serializers.CharField(source="reason")

    def get_actor(self, obj) -> str | None:
        return obj.actor.public_name if obj.actor_id else None

    def get_from_stage(self, obj) -> str:
        return obj.data.get("from", "")

    def get_to_stage(self, obj) -> str:
        return obj.data.get("to", "")


class IdeaTriageSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    stage = serializers.CharField()
    stage_note = serializers.CharField()
    stage_note_shown = serializers.BooleanField()
    stage_changed_at = serializers.DateTimeField(allow_null=True)
    next_stages = serializers.SerializerMethodField()
    labels = LabelSerializer(many=True)
    owner = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    def get_next_stages(self, obj) -> list[str]:
        return [stage for stage, _label in selectors.next_stages(obj)]

    def get_owner(self, obj) -> dict | None:
        if obj.owner is None:
            return None
        return {"id": str(obj.owner.public_id), "name": obj.owner.public_name}

    def get_history(self, obj) -> list[dict]:
        changes = selectors.stage_changes(selectors.history_of(obj))
        return StageChangeSerializer(changes, many=True).data


class StageWriteSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Idea.Stage.values)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note_shown = serializers.BooleanField(required=False, default=False)


class LabelAddSerializer(serializers.Serializer):
    label = serializers.UUIDField(required=False, help_text="One of the brand's labels")
    name = serializers.CharField(required=False, max_length=80, help_text="Or a new label")
    colour = serializers.ChoiceField(choices=Label.Colour.values, default=Label.Colour.GREY)


class OwnerWriteSerializer(serializers.Serializer):
    owner = serializers.UUIDField(
        allow_null=True, help_text="A console team member's id; null for nobody"
    )


class BulkSerializer(serializers.Serializer):
    ideas = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=500)
    change = serializers.ChoiceField(choices=["stage", "label", "owner"])
    stage = serializers.ChoiceField(choices=Idea.Stage.values, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note_shown = serializers.BooleanField(required=False, default=False)
    label = serializers.UUIDField(required=False)
    owner = serializers.UUIDField(required=False, allow_null=True)


class BulkResultSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.UUIDField())
    unchanged = serializers.ListField(child=serializers.UUIDField())


class _Team:
    permission_classes = [IsAuthenticated, HasTenantRole.of(Role.MODERATOR)]


def _triage(request, idea) -> Response:
    idea = selectors.idea_for_console(request, idea.public_id)
    selectors.attach_labels([idea])
    return Response(IdeaTriageSerializer(idea, context={"request": request}).data)


def _owner(request, public_id):
    if public_id is None:
        return None
    owner = selectors.owner_by_public_id(request.tenant, public_id)
    if owner is None:
        raise services.IdeaError(
            _("Choose someone on the brand's team."), fields={"owner": [_("Not on the team.")]}
        )
    return owner


def _label(request, public_id) -> Label:
    label = Label.objects.filter(tenant=request.tenant, public_id=public_id).first()
    if label is None:
        raise services.IdeaError(_("Choose a label."), fields={"label": [_("Unknown label.")]})
    return label


@extend_schema(tags=["stages"])
class IdeaTriageView(_Team, APIView):
    @extend_schema(responses=IdeaTriageSerializer)
    def get(self, request, public_id):
        """The idea's stage (with the stages it may move to), labels, owner and
        stage history."""
        return _triage(request, selectors.idea_for_console(request, public_id))


@extend_schema(tags=["stages"])
class IdeaStageView(_Team, APIView):
    @extend_schema(request=StageWriteSerializer, responses=IdeaTriageSerializer)
    def post(self, request, public_id):
        """Move the idea to another stage (declining needs a public `note`); its
        author and followers are told."""
        idea = selectors.idea_for_console(request, public_id)
        data = valid_input(request, StageWriteSerializer)
        services.idea_stage_set(idea=idea, actor=request.user, **data)
        return _triage(request, idea)


@extend_schema(tags=["stages"])
class IdeaLabelsView(_Team, APIView):
    @extend_schema(request=LabelAddSerializer, responses=IdeaTriageSerializer)
    def post(self, request, public_id):
        """Put a label on the idea: one of the brand's (`label`) or a new one (`name`)."""
        idea = selectors.idea_for_console(request, public_id)
        data = valid_input(request, LabelAddSerializer)
        label = _label(request, data["label"]) if data.get("label") else None
        services.ideas_label_add(
            ideas=[idea],
            actor=request.user,
            label=label,
            name=data.get("name", ""),
            colour=data["colour"],
        )
        return _triage(request, idea)


@extend_schema(tags=["stages"])
class IdeaLabelView(_Team, APIView):
    @extend_schema(responses=IdeaTriageSerializer)
    def delete(self, request, public_id, label_id):
        """Take the label off the idea."""
        idea = selectors.idea_for_console(request, public_id)
        label = selectors.label_for_console(request, label_id)
        services.idea_label_remove(idea=idea, actor=request.user, label=label)
        return _triage(request, idea)


@extend_schema(tags=["stages"])
class IdeaOwnerView(_Team, APIView):
    @extend_schema(request=OwnerWriteSerializer, responses=IdeaTriageSerializer)
    def put(self, request, public_id):
        """Give the idea to a member of the console team (null: to nobody)."""
        idea = selectors.idea_for_console(request, public_id)
        data = valid_input(request, OwnerWriteSerializer)
        services.ideas_owner_set(
            ideas=[idea], actor=request.user, owner=_owner(request, data["owner"])
        )
        return _triage(request, idea)


@extend_schema(tags=["stages"])
class LabelListView(_Team, APIView):
    @extend_schema(responses=LabelSerializer(many=True))
    def get(self, request):
        """The brand's labels (only its team sees them)."""
        labels = selectors.labels_of(request.tenant)
        return Response({"results": LabelSerializer(labels, many=True).data})

    @extend_schema(request=LabelSerializer, responses=LabelSerializer)
    def post(self, request):
        data = valid_input(request, LabelSerializer)
        label = services.label_create(tenant=request.tenant, actor=request.user, **data)
        return Response(LabelSerializer(label).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["stages"])
class LabelDetailView(_Team, APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, label_id):
        """Delete the label (it leaves every idea that wore it)."""
        label = selectors.label_for_console(request, label_id)
        services.label_delete(label=label, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["stages"])
class IdeasBulkView(_Team, APIView):
    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer)
    def post(self, request):
        """Set the stage, add a label or set the owner of many ideas: all of them
        or none (every idea must be found in this brand, every move allowed)."""
        data = valid_input(request, BulkSerializer)
        ideas = selectors.ideas_for_moderation(tenant=request.tenant, public_ids=data["ideas"])
        if len(ideas) != len(set(data["ideas"])):
            raise Http404
        change = data["change"]
        if change == "stage":
            if "stage" not in data:
                raise services.IdeaError(
                    _("Choose a stage."), fields={"stage": [_("This field is required.")]}
                )
            result = services.ideas_stage_set(
                ideas=ideas,
                actor=request.user,
                stage=data["stage"],
                note=data.get("note", ""),
                note_shown=data["note_shown"],
            )
            changed, unchanged = result["moved"], result["unchanged"]
        elif change == "label":
            if not data.get("label"):
                raise services.IdeaError(
                    _("Choose a label."), fields={"label": [_("This field is required.")]}
                )
            label = _label(request, data["label"])
            changed = services.ideas_label_add(ideas=ideas, actor=request.user, label=label)
            unchanged = [i for i in ideas if i not in changed]
        else:
            owner = _owner(request, data.get("owner"))
            changed = services.ideas_owner_set(ideas=ideas, actor=request.user, owner=owner)
            unchanged = [i for i in ideas if i not in changed]
        return Response(
            {
                "changed": [str(i.public_id) for i in changed],
                "unchanged": [str(i.public_id) for i in unchanged],
            }
        )
