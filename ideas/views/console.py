"""The moderators' console: the queue of ideas and comments (filters, media
preview, bulk decisions), one idea's review page (history, merge), and the
tenant's moderation rules. What became of the ideas (stage, labels, owner, one
by one or in bulk) is set on the same pages by owners and administrators."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Membership
from campaigns.models import Campaign
from core.errors import DomainError
from core.permissions import console_view, has_role
from core.views import in_tenant_time_zone, valid_uuids
from ideas import selectors, services
from ideas.models import Comment, Idea, Label, ModerationRules

MODERATOR = Membership.Role.MODERATOR
ADMIN = Membership.Role.ADMIN


def _decision_message(result: dict) -> str:
    done, skipped = len(result["done"]), len(result["skipped"])
    if skipped:
        return _(
            "%(done)s done, %(skipped)s left as they were (already decided or processing)."
        ) % {
            "done": done,
            "skipped": skipped,
        }
    return _("%(done)s done.") % {"done": done}


def _moderate(request, moderate, **contributions) -> DomainError | None:
    """The moderator's decision in the form (action, reason) applied to the
    contributions through the service `moderate`: None once done (the result
    is told in a message), or the error to show with the form."""
    try:
        result = moderate(
            actor=request.user,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            **contributions,
        )
    except DomainError as exc:
        return exc
    messages.success(request, _decision_message(result))
    return None


@console_view(MODERATOR)
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def queue(request):
    query = selectors.QueueQuery.from_params(request.GET)
    if request.method == "POST":
        ids = request.POST.getlist("ideas")
        ideas = selectors.ideas_for_moderation(tenant=request.tenant, public_ids=valid_uuids(ids))
        error = _moderate(request, services.ideas_moderate, ideas=ideas)
        if error is None:
            return redirect(_queue_url(query))
        return _queue_page(request, query, error=error)
    return _queue_page(request, query)


def _queue_url(query) -> str:
    return f"{reverse('console:moderation')}?{urlencode(query.params())}"


def _queue_page(request, query, *, error: DomainError | None = None):
    """The queue; after a refused decision, with the form's values and the
    ideas still ticked."""
    rows, next_cursor = selectors.moderation_queue(tenant=request.tenant, query=query)
    return render(
        request,
        "ideas/console/queue.html",
        {
            "rows": rows,
            "query": query,
            "query_string": urlencode(query.params()),
            "filters": selectors.QUEUE_FILTERS,
            "holds": Idea.Hold.choices,
            "kinds": Idea.Kind.choices,
            "stages": Idea.Stage.choices,
            "campaigns": Campaign.objects.filter(tenant=request.tenant).order_by("-starts_at"),
            "next_url": f"?{urlencode(query.params(cursor=next_cursor))}" if next_cursor else "",
            "error": error,
            "values": request.POST if error else {},
            # Kept ticked when the page comes back with an error ("reason required").
            "selected": set(request.POST.getlist("ideas")) if error else set(),
            "waiting": selectors.waiting_count(tenant=request.tenant),
            "can_manage": services.can_manage_stages(request.user, request.tenant),
            "labels": selectors.labels_of(request.tenant),
            "team": selectors.owner_choices(request.tenant),
        },
        status=error.status if error else 200,
    )


@console_view(MODERATOR)
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def comment_queue(request):
    status = request.GET.get("status", "waiting")
    if status not in selectors.QUEUE_FILTERS:
        status = "waiting"
    error = None
    if request.method == "POST":
        comments = selectors.comments_for_moderation(
            tenant=request.tenant, public_ids=valid_uuids(request.POST.getlist("comments"))
        )
        error = _moderate(request, services.comments_moderate, comments=comments)
        if error is None:
            return redirect(f"{reverse('console:moderation_comments')}?status={status}")
    return render(
        request,
        "ideas/console/comments.html",
        {
            "rows": selectors.comment_queue(tenant=request.tenant, status=status),
            "status": status,
            "filters": selectors.QUEUE_FILTERS,
            "error": error,
            "values": request.POST if error else {},
            "selected": set(request.POST.getlist("comments")) if error else set(),
        },
        status=400 if error else 200,
    )


@console_view(MODERATOR)
@require_http_methods(["GET"])
@in_tenant_time_zone
def review(request, public_id):
    idea = selectors.idea_for_console(request, public_id)
    return render(request, "ideas/console/review.html", _review_context(request, idea))


def _review_context(request, idea, **extra) -> dict:
    idea.open_flags = list(idea.flags.filter(resolved_at__isnull=True).order_by("created_at"))
    selectors.attach_labels([idea])
    history = selectors.history_of(idea)
    return {
        "idea": idea,
        "media": selectors.media_of(idea),
        "author_name": selectors.author_name(idea),
        "history": history,
        "stage_changes": selectors.stage_changes(history),
        "next_stages": selectors.next_stages(idea),
        "can_manage": services.can_manage_stages(request.user, request.tenant),
        "labels": selectors.labels_of(request.tenant),
        "colours": Label.Colour.choices,
        "team": selectors.owner_choices(request.tenant),
        "similar": selectors.similar_ideas(idea.campaign, idea.title, exclude=idea),
        "comments": Comment.objects.filter(idea=idea).order_by("-created_at")[:50],
        **extra,
    }


@console_view(MODERATOR)
@require_POST
def decide(request, public_id):
    idea = selectors.idea_for_console(request, public_id)
    error = _moderate(request, services.ideas_moderate, ideas=[idea])
    if error is not None:
        return render(
            request,
            "ideas/console/review.html",
            _review_context(request, idea, error=error, values=request.POST),
            status=400,
        )
    return redirect("console:moderation_review", public_id=idea.public_id)


@console_view(MODERATOR)
@require_POST
def merge(request, public_id):
    duplicate = selectors.idea_for_console(request, public_id)
    target_id = valid_uuids([request.POST.get("into", "").strip().rstrip("/").rsplit("/", 1)[-1]])
    into = (
        Idea.objects.filter(tenant=request.tenant, public_id=target_id[0]).first()
        if target_id
        else None
    )
    try:
        if into is None:
            raise services.IdeaError(
                _("Choose the idea to merge into (its address or id)."),
                fields={"into": [_("Not found.")]},
            )
        services.idea_merge(
            duplicate=duplicate,
            into=into,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        return render(
            request,
            "ideas/console/review.html",
            _review_context(request, duplicate, merge_error=exc, values=request.POST),
            status=400,
        )
    messages.success(request, _("Merged: the old address now leads to this idea."))
    return redirect("console:moderation_review", public_id=into.public_id)


@console_view(MODERATOR)
@require_http_methods(["GET", "POST"])
def rules(request):
    current = services.moderation_rules(request.tenant)
    can_change = has_role(request.user, request.tenant, Membership.Role.ADMIN)
    error = None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            services.moderation_rules_update(
                tenant=request.tenant,
                actor=request.user,
                blocked_words=request.POST.get("blocked_words", ""),
                links=request.POST.get("links", ""),
                allowed_domains=request.POST.get("allowed_domains", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("The moderation rules are saved."))
            return redirect("console:moderation_rules")
    return render(
        request,
        "ideas/console/rules.html",
        {
            "rules": current,
            "blocked_words_text": "\n".join(current.blocked_words),
            "can_change": can_change,
            "links_choices": ModerationRules.Links.choices,
            "error": error,
            "values": request.POST if error else None,
        },
        status=400 if error else 200,
    )


# --- What became of the ideas: stage, labels, owner ----------------------------------------


def _review_error(request, idea, exc: DomainError, **extra):
    return render(
        request,
        "ideas/console/review.html",
        _review_context(request, idea, values=request.POST, **extra),
        status=exc.status,
    )


@console_view(ADMIN)
@require_POST
@in_tenant_time_zone
def idea_stage(request, public_id):
    idea = selectors.idea_for_console(request, public_id)
    try:
        idea = services.idea_stage_set(
            idea=idea,
            actor=request.user,
            stage=request.POST.get("stage", ""),
            note=request.POST.get("note", ""),
            note_shown=request.POST.get("note_shown") == "on",
        )
    except DomainError as exc:
        return _review_error(request, idea, exc, stage_error=exc)
    messages.success(
        request,
        _("Stage of “%(title)s”: %(stage)s.") % {"title": idea.title, "stage": _label(idea)},
    )
    return redirect("console:moderation_review", public_id=idea.public_id)


def _label(idea) -> str:
    return str(Idea.Stage(idea.stage).label)


def _label_from_post(request) -> Label | None:
    ids = valid_uuids([request.POST.get("label", "")])
    return Label.objects.filter(tenant=request.tenant, public_id=ids[0]).first() if ids else None


@console_view(ADMIN)
@require_POST
@in_tenant_time_zone
def idea_labels(request, public_id):
    """Add a label (one of the brand's, or a new one) or take one off."""
    idea = selectors.idea_for_console(request, public_id)
    label = _label_from_post(request)
    try:
        if request.POST.get("remove"):
            if label is None:
                raise services.IdeaError(_("Choose a label."))
            services.idea_label_remove(idea=idea, actor=request.user, label=label)
        else:
            services.ideas_label_add(
                ideas=[idea],
                actor=request.user,
                label=label,
                name=request.POST.get("name", ""),
                colour=request.POST.get("colour", Label.Colour.GREY),
            )
    except DomainError as exc:
        return _review_error(request, idea, exc, label_error=exc)
    return redirect("console:moderation_review", public_id=idea.public_id)


@console_view(ADMIN)
@require_POST
@in_tenant_time_zone
def idea_owner(request, public_id):
    idea = selectors.idea_for_console(request, public_id)
    try:
        services.ideas_owner_set(ideas=[idea], actor=request.user, owner=_owner_from_post(request))
    except DomainError as exc:
        return _review_error(request, idea, exc, owner_error=exc)
    messages.success(request, _("The owner is saved."))
    return redirect("console:moderation_review", public_id=idea.public_id)


def _owner_from_post(request):
    """The team member chosen, None for "nobody"; refused when not on the team."""
    chosen = request.POST.get("owner", "").strip()
    if not chosen:
        return None
    owner = selectors.owner_by_public_id(request.tenant, chosen)
    if owner is None:
        raise services.IdeaError(
            _("Choose someone on the brand's team."), fields={"owner": [_("Not on the team.")]}
        )
    return owner


class _BulkChange:
    """One of the bulk bar's changes: checked, described for the confirmation,
    then applied (and told in words)."""

    def __init__(self, request, ideas):
        self.request, self.ideas, self.count = request, ideas, len(ideas)
        if not ideas:
            raise services.IdeaError(
                _("Choose at least one idea."), fields={"ideas": [_("Choose one.")]}
            )

    def common(self) -> dict:
        return {"ideas": self.ideas, "actor": self.request.user}


class _StageChange(_BulkChange):
    def __init__(self, request, ideas):
        super().__init__(request, ideas)
        self.stage = request.POST.get("stage", "")
        self.note = request.POST.get("note", "")
        services.ideas_stage_check(**self.common(), stage=self.stage, note=self.note)
        self.stage_label = str(Idea.Stage(self.stage).label)

    def question(self) -> str:
        return ngettext(
            "Move %(n)s idea to “%(stage)s”?", "Move %(n)s ideas to “%(stage)s”?", self.count
        ) % {"n": self.count, "stage": self.stage_label}

    def apply(self) -> str:
        result = services.ideas_stage_set(
            **self.common(),
            stage=self.stage,
            note=self.note,
            note_shown=self.request.POST.get("note_shown") == "on",
        )
        moved, unchanged = len(result["moved"]), len(result["unchanged"])
        told = ngettext(
            "%(n)s idea moved to %(stage)s.", "%(n)s ideas moved to %(stage)s.", moved
        ) % {"n": moved, "stage": self.stage_label}
        if unchanged:
            told += " " + ngettext(
                "%(n)s was there already.", "%(n)s were there already.", unchanged
            ) % {"n": unchanged}
        return told


class _LabelChange(_BulkChange):
    def __init__(self, request, ideas):
        super().__init__(request, ideas)
        self.label = _label_from_post(request)
        if self.label is None:
            raise services.IdeaError(_("Choose a label."), fields={"label": [_("Choose one.")]})

    def question(self) -> str:
        return ngettext(
            "Add the label “%(label)s” to %(n)s idea?",
            "Add the label “%(label)s” to %(n)s ideas?",
            self.count,
        ) % {"n": self.count, "label": self.label.name}

    def apply(self) -> str:
        added = len(services.ideas_label_add(**self.common(), label=self.label))
        return ngettext(
            "Label “%(label)s” added to %(n)s idea.",
            "Label “%(label)s” added to %(n)s ideas.",
            added,
        ) % {"n": added, "label": self.label.name}


class _OwnerChange(_BulkChange):
    def __init__(self, request, ideas):
        super().__init__(request, ideas)
        self.owner = _owner_from_post(request)

    def question(self) -> str:
        if self.owner is None:
            return ngettext(
                "Leave %(n)s idea without an owner?",
                "Leave %(n)s ideas without an owner?",
                self.count,
            ) % {"n": self.count}
        return ngettext(
            "Give %(n)s idea to %(name)s?", "Give %(n)s ideas to %(name)s?", self.count
        ) % {"n": self.count, "name": self.owner.public_name}

    def apply(self) -> str:
        changed = len(services.ideas_owner_set(**self.common(), owner=self.owner))
        if self.owner is None:
            return ngettext(
                "%(n)s idea has no owner now.", "%(n)s ideas have no owner now.", changed
            ) % {"n": changed}
        return ngettext(
            "%(n)s idea given to %(name)s.", "%(n)s ideas given to %(name)s.", changed
        ) % {"n": changed, "name": self.owner.public_name}


BULK_CHANGES = {"stage": _StageChange, "label": _LabelChange, "owner": _OwnerChange}


@console_view(ADMIN)
@require_POST
@in_tenant_time_zone
def ideas_bulk(request):
    """The bulk bar of the queue: set the stage, add a label or set the owner
    of the ticked ideas — checked, confirmed on a second page, then applied to
    all of them or none. A refusal brings the queue back, the ideas still ticked."""
    query = selectors.QueueQuery.from_params(request.GET)
    ideas = selectors.ideas_for_moderation(
        tenant=request.tenant, public_ids=valid_uuids(request.POST.getlist("ideas"))
    )
    try:
        kind = BULK_CHANGES.get(request.POST.get("change", ""))
        if kind is None:
            raise services.IdeaError(_("Choose what to change."))
        change = kind(request, ideas)
        if request.POST.get("confirmed") != "yes":
            return render(
                request,
                "ideas/console/bulk_confirm.html",
                {
                    "question": change.question(),
                    "ideas": ideas,
                    "fields": [
                        (name, value)
                        for name in ("change", "stage", "note", "note_shown", "label", "owner")
                        for value in request.POST.getlist(name)
                    ],
                    "query_string": urlencode(query.params()),
                },
            )
        told = change.apply()
    except DomainError as exc:
        return _queue_page(request, query, error=exc)
    messages.success(request, told)
    return redirect(_queue_url(query))


# --- The brand's labels -------------------------------------------------------------------------


@console_view(MODERATOR)
@require_http_methods(["GET", "POST"])
def labels(request):
    """The brand's internal labels with how many ideas wear each; owners and
    administrators create them here (or on an idea's page) and delete them."""
    error = None
    if request.method == "POST":
        if not services.can_manage_stages(request.user, request.tenant):
            raise PermissionDenied
        try:
            label = services.label_create(
                tenant=request.tenant,
                actor=request.user,
                name=request.POST.get("name", ""),
                colour=request.POST.get("colour", Label.Colour.GREY),
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("The label “%(name)s” is created.") % {"name": label.name})
            return redirect("console:idea_labels_manage")
    return render(
        request,
        "ideas/console/labels.html",
        {
            "labels": selectors.labels_with_counts(request.tenant),
            "colours": Label.Colour.choices,
            "can_manage": services.can_manage_stages(request.user, request.tenant),
            "error": error,
            "values": request.POST if error else {},
        },
        status=error.status if error else 200,
    )


@console_view(ADMIN)
@require_http_methods(["GET", "POST"])
def label_delete(request, public_id):
    """Asks first (the label leaves every idea that wears it), then deletes."""
    label = selectors.label_for_console(request, public_id)
    if request.method == "POST":
        services.label_delete(label=label, actor=request.user)
        messages.success(request, _("The label “%(name)s” is deleted.") % {"name": label.name})
        return redirect("console:idea_labels_manage")
    return render(
        request,
        "ideas/console/label_delete.html",
        {"label": label, "worn": selectors.labels_with_counts(request.tenant, only=label)},
    )
