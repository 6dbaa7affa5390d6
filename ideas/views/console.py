"""The moderators' console: the queue of ideas and comments (filters, media
preview, bulk decisions), one idea's review page (history, merge), and the
tenant's moderation rules."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Membership
from campaigns.models import Campaign
from core.errors import DomainError
from core.permissions import console_view, has_role
from core.views import in_tenant_time_zone, valid_uuids
from ideas import selectors, services
from ideas.models import Comment, Idea, ModerationRules

MODERATOR = Membership.Role.MODERATOR


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
    error = None
    if request.method == "POST":
        ids = request.POST.getlist("ideas")
        ideas = selectors.ideas_for_moderation(tenant=request.tenant, public_ids=valid_uuids(ids))
        error = _moderate(request, services.ideas_moderate, ideas=ideas)
        if error is None:
            return redirect(f"{reverse('console:moderation')}?{urlencode(query.params())}")
    rows, next_cursor = selectors.moderation_queue(tenant=request.tenant, query=query)
    return render(
        request,
        "ideas/console/queue.html",
        {
            "rows": rows,
            "query": query,
            "filters": selectors.QUEUE_FILTERS,
            "holds": Idea.Hold.choices,
            "kinds": Idea.Kind.choices,
            "campaigns": Campaign.objects.filter(tenant=request.tenant).order_by("-starts_at"),
            "next_url": f"?{urlencode(query.params(cursor=next_cursor))}" if next_cursor else "",
            "error": error,
            "values": request.POST if error else {},
            # Kept ticked when the page comes back with an error ("reason required").
            "selected": set(request.POST.getlist("ideas")) if error else set(),
            "waiting": selectors.waiting_count(tenant=request.tenant),
        },
        status=400 if error else 200,
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
    return {
        "idea": idea,
        "media": selectors.media_of(idea),
        "author_name": selectors.author_name(idea),
        "history": selectors.history_of(idea),
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
