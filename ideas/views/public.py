"""The participants' pages: the gallery, submitting and editing an idea, an
idea's page with its comments, flags, following, co-authors, sharing; and the
tenant's sitemap and robots.txt."""

import dataclasses
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.consent import participation_block
from campaigns import lifecycle
from campaigns import selectors as campaign_selectors
from core.access import tenant_row_or_404
from core.errors import DomainError
from core.ratelimit import rate_limited
from core.views import in_tenant_time_zone, run_and_say
from ideas import selectors, services, sharing
from ideas.models import Coauthor, Comment, Flag, Idea
from ideas.uploads import interrupted_error, too_large_error, upload_handlers


def _campaign(request, slug):
    return campaign_selectors.campaign_for_viewer(request, slug)


# --- The gallery ----------------------------------------------------------------------------


def gallery_context(request, campaign, *, query=None) -> dict:
    rounds = list(campaign.rounds.all())
    # While the challenge hides its vote totals, neither the counts nor an order
    # made of them (most voted, trending) reach anyone but the brand's team.
    by_votes = campaign_selectors.vote_totals_shown(request, campaign, rounds=rounds)
    if query is None:
        query = selectors.GalleryQuery.from_params(request.GET, by_votes=by_votes)
    elif query.sort in selectors.VOTE_SORTS and not by_votes:
        query = dataclasses.replace(query, sort=selectors.DEFAULT_SORT, cursor="")
    page = selectors.gallery_page(campaign, query)
    from ideas.extensions import annotate_gallery

    annotate_gallery(request, page.ideas)
    base = reverse("ideas:gallery", kwargs={"slug": campaign.slug})
    sorts = selectors.sorts_offered(by_votes=by_votes)
    return {
        "campaign": campaign,
        "gallery": page,
        "query": query,
        "totals_shown": by_votes,
        "sorts": [(key, label) for key, (label, _field) in sorts.items()],
        "kinds": [(k, label) for k, label in Idea.Kind.choices if k in campaign.submission_kinds],
        "rounds": rounds,
        "tags": selectors.tags_of(campaign),
        "gallery_url": base,
        "more_url": f"{base}?{urlencode(query.params(cursor=page.next_cursor))}"
        if page.next_cursor
        else "",
        "submit_url": reverse("ideas:submit", kwargs={"slug": campaign.slug}),
        "allowed": lifecycle.allowed_now(campaign, rounds=rounds),
    }


def searching(request) -> bool:
    """A gallery request that searches (counted against the search limit)."""
    return bool(str(request.GET.get("q", "")).strip())


def typing_a_title(request) -> bool:
    """A similar-ideas request with a title (counted against the search limit)."""
    return bool(str(request.GET.get("title", "")).strip())


@require_GET
@rate_limited("search", methods=("GET",), visitors=True, when=searching)
@in_tenant_time_zone
def gallery(request, slug):
    """The challenge's ideas: a page of its own, and the fragments htmx swaps in
    (filters, sorts, "show more")."""
    campaign = _campaign(request, slug)
    context = gallery_context(request, campaign)
    if request.htmx:
        template = (
            "ideas/public/_gallery_more.html"
            if request.GET.get("cursor")
            else "ideas/public/_gallery_results.html"
        )
        return render(request, template, context)
    return render(request, "ideas/public/gallery.html", context)


@require_GET
@rate_limited("search", methods=("GET",), visitors=True, when=typing_a_title)
def similar(request, slug):
    """While a title is typed: up to five ideas of the challenge that look alike."""
    campaign = _campaign(request, slug)
    title = str(request.GET.get("title", ""))[:120]
    by_votes = campaign_selectors.vote_totals_shown(request, campaign)
    ideas = selectors.similar_ideas(campaign, title, by_votes=by_votes)
    return render(request, "ideas/public/_similar.html", {"ideas": ideas, "campaign": campaign})


# --- Submitting and editing --------------------------------------------------------------


def _form_values(request, idea=None) -> dict:
    if request.method == "POST":
        return {
            "title": request.POST.get("title", ""),
            "body": request.POST.get("body", ""),
            "tags": request.POST.get("tags", ""),
            "video_url": request.POST.get("video_url", ""),
        }
    if idea is None:
        return {"title": request.GET.get("title", ""), "body": "", "tags": "", "video_url": ""}
    from ideas.video_links import watch_url

    return {
        "title": idea.title,
        "body": idea.body,
        "tags": ", ".join(idea.tags),
        "video_url": watch_url(idea.video_provider, idea.video_ref),
    }


def _submission(request) -> dict:
    """What the submission form sends, for idea_submit and idea_update alike;
    a file cut short by the upload handler (over the limit) is refused here."""
    files = request.FILES  # reading it parses the body, uploads included
    if getattr(request, "upload_too_large", False):
        raise too_large_error()
    if getattr(request, "upload_interrupted", False):
        raise interrupted_error()
    return {
        "title": request.POST.get("title", ""),
        "body": request.POST.get("body", ""),
        "tags": request.POST.get("tags", ""),
        "image": files.get("image"),
        "video": files.get("video"),
    }


def _form_page(request, *, campaign, idea=None, error: DomainError | None = None):
    """The submission form (new idea or edit), with the error that refused it."""
    allowed = lifecycle.allowed_now(campaign)
    return render(
        request,
        "ideas/public/submit.html",
        {
            "campaign": campaign,
            "idea": idea,
            "values": _form_values(request, idea),
            "errors": error.fields if error else {},
            "error_message": error.message if error else "",
            "allowed": allowed,
            "media": selectors.media_of(idea) if idea else None,
            "similar_url": reverse("ideas:similar", kwargs={"slug": campaign.slug}),
            "accept": "image/jpeg,image/png,image/webp,image/heic,image/heif",
            "video_accept": "video/mp4,video/quicktime,video/webm",
            # The limits the form's script checks before anything is sent.
            "title_max": services.TITLE_MAX,
            "image_max_bytes": campaign.image_max_mb * services.MB,
            "video_max_bytes": campaign.video_max_mb * services.MB,
        },
        status=400 if error else 200,
    )


@csrf_exempt
def submit(request, slug):
    """Streams the upload to a temporary file (see ideas.uploads) before the
    CSRF check reads the form, then runs the protected view."""
    if request.method == "POST":
        request.upload_handlers = upload_handlers(request)
    return _submit(request, slug)


@csrf_protect
@require_http_methods(["GET", "POST"])
@rate_limited("submissions")
@in_tenant_time_zone
def _submit(request, slug):
    campaign = _campaign(request, slug)
    blocked = participation_block(request)
    if blocked is not None:
        return blocked
    if not campaign_selectors.can_take_part(request, campaign):
        raise Http404
    if request.method == "GET":
        return _form_page(request, campaign=campaign)
    try:
        idea = services.idea_submit(
            campaign=campaign,
            author=request.user,
            **_submission(request),
            video_url=request.POST.get("video_url", ""),
            draft="save_draft" in request.POST,
        )
    except DomainError as error:
        return _form_page(request, campaign=campaign, error=error)
    if idea.state == Idea.State.DRAFT:
        messages.success(request, _("Your draft is saved."))
    elif idea.state == Idea.State.PUBLISHED:
        messages.success(request, _("Your idea is published. Share it!"))
    elif idea.is_processing:
        messages.success(request, _("Thank you! Your file is being processed."))
    else:
        messages.success(request, _("Thank you! A moderator will review your idea shortly."))
    return _saved(request, idea)


def _saved(request, idea):
    """Where the form goes once the idea is saved: a redirect, or for the
    form's own script (which sent it with a progress bar) the address to open;
    the message waits in the session either way."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"url": idea.get_absolute_url()})
    return redirect(idea.get_absolute_url())


@csrf_exempt
def edit(request, public_id):
    if request.method == "POST":
        request.upload_handlers = upload_handlers(request)
    return _edit(request, public_id)


@csrf_protect
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def _edit(request, public_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    idea = selectors.idea_for_author(request, public_id)
    campaign = idea.campaign
    if not services.can_edit(request.user, idea):
        messages.error(request, _("This idea can no longer be changed."))
        return redirect(idea.get_absolute_url())
    if request.method == "GET":
        return _form_page(request, campaign=campaign, idea=idea)
    try:
        idea = services.idea_update(
            idea=idea,
            actor=request.user,
            **_submission(request),
            video_url=request.POST.get("video_url", "") if "video_url" in request.POST else None,
            remove_media="remove_media" in request.POST,
            submit="submit" in request.POST,
        )
    except DomainError as error:
        return _form_page(request, campaign=campaign, idea=idea, error=error)
    messages.success(request, _("Your idea is saved."))
    return _saved(request, idea)


@require_POST
def withdraw(request, public_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    idea = selectors.idea_for_author(request, public_id)
    run_and_say(
        request,
        lambda: services.idea_withdraw(
            idea=idea, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("Your idea is withdrawn."),
    )
    return redirect("ideas:mine")


@require_GET
@in_tenant_time_zone
def mine(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "ideas/public/mine.html", {"ideas": selectors.mine(request)})


# --- An idea's page ---------------------------------------------------------------------------


def detail_context(request, idea) -> dict:
    campaign = idea.campaign
    media = selectors.media_of(idea)
    share = sharing.share_for(request, idea, media)
    from notifications.selectors import is_following

    following = request.user.is_authenticated and is_following(
        tenant=request.tenant, user=request.user, target_type="idea", target_id=idea.public_id
    )
    join_url = ""
    if (
        not request.user.is_authenticated
        and idea.state == Idea.State.PUBLISHED
        and lifecycle.allowed_now(campaign).submit
    ):
        join_url = reverse("ideas:submit", kwargs={"slug": campaign.slug})
    return {
        "idea": idea,
        "campaign": campaign,
        "join_url": join_url,
        "media": media,
        "processing": idea.is_processing
        or (media is not None and media.status == media.Status.PROCESSING),
        "author_name": selectors.author_name(idea),
        "coauthors": selectors.coauthors_of(idea),
        "comments": selectors.comments_of(idea, viewer=request.user),
        "share": share,
        "is_author": services.is_author(request.user, idea),
        "can_edit": services.can_edit(request.user, idea),
        "can_withdraw": services.can_withdraw(request.user, idea),
        "following": following,
        "flag_reasons": Flag.Reason.choices,
        "embed_url": sharing.embed_url(idea),
        "invitations": list(
            Coauthor.objects.filter(idea=idea, status=Coauthor.Status.INVITED).order_by(
                "-created_at"
            )[:5]
        )
        if services.is_author(request.user, idea)
        else [],
    }


@require_GET
@in_tenant_time_zone
def detail(request, public_id):
    idea = selectors.idea_for_viewer(request, public_id)
    if idea.state == Idea.State.MERGED and idea.merged_into_id:
        return HttpResponsePermanentRedirect(idea.merged_into.get_absolute_url())
    return render(request, "ideas/public/detail.html", detail_context(request, idea))


@require_GET
def status(request, public_id):
    """htmx polls this while the idea's media is processed; it answers with the
    status block, and tells the page to reload once the idea has moved on."""
    idea = selectors.idea_for_viewer(request, public_id)
    media = selectors.media_of(idea)
    processing = idea.is_processing or (media is not None and media.status == "processing")
    if not processing and request.GET.get("was") == "processing":
        return HttpResponse(status=200, headers={"HX-Refresh": "true"})
    return render(
        request,
        "ideas/public/_status.html",
        {"idea": idea, "media": media, "processing": processing},
    )


@require_POST
@rate_limited("comments")
def comment(request, public_id):
    idea = selectors.idea_for_viewer(request, public_id)
    blocked = participation_block(request)
    if blocked is not None:
        return blocked
    if not campaign_selectors.can_take_part(request, idea.campaign):
        raise Http404
    parent = None
    if request.POST.get("parent"):
        parent = Comment.objects.filter(
            idea=idea, public_id=_uuid_or_404(request.POST["parent"])
        ).first()
        if parent is None:
            raise Http404
    try:
        new = services.comment_post(
            idea=idea, author=request.user, body=request.POST.get("body", ""), parent=parent
        )
    except DomainError as error:
        if request.htmx:
            return render(
                request,
                "ideas/public/_comment_form.html",
                {"idea": idea, "parent": parent, "error": error.message,
                 "body": request.POST.get("body", "")},
                status=400,
            )  # fmt: skip
        messages.error(request, error.message)
        return redirect(f"{idea.get_absolute_url()}#comments")
    if new.state == Comment.State.PENDING:
        messages.success(
            request, _("Thank you! Your comment will appear once a moderator checks it.")
        )
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(f"{idea.get_absolute_url()}#comment-{new.public_id}")


def follow_intent(request, target: str) -> str:
    """ "Follow" clicked before signing in or accepting the terms, done now."""
    idea = selectors.idea_for_viewer(request, target)
    services.idea_follow(idea=idea, user=request.user)
    return _("You follow this idea: you will hear about its news.")


def _uuid_or_404(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@rate_limited("flags")
def flag(request, public_id):
    idea = selectors.idea_for_viewer(request, public_id)
    return _flag(request, target=idea, idea=idea)


@require_http_methods(["GET", "POST"])
@rate_limited("flags")
def comment_flag(request, public_id):
    comment = tenant_row_or_404(
        request, Comment.objects.select_related("idea"), public_id=public_id
    )
    idea = selectors.idea_for_viewer(request, comment.idea.public_id)
    return _flag(request, target=comment, idea=idea)


def _flag(request, *, target, idea):
    blocked = participation_block(request)
    if blocked is not None:
        return blocked
    is_comment = isinstance(target, Comment)
    context = {
        "target": target,
        "idea": idea,
        "is_comment": is_comment,
        "reasons": Flag.Reason.choices,
        "action": reverse(
            "ideas:comment_flag" if is_comment else "ideas:flag",
            kwargs={"public_id": target.public_id},
        ),
    }
    if request.method == "GET":
        return render(request, "ideas/public/flag.html", context)
    try:
        if is_comment:
            services.comment_flag(
                comment=target,
                reporter=request.user,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
        else:
            services.idea_flag(
                idea=target,
                reporter=request.user,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
    except DomainError as error:
        return render(
            request,
            "ideas/public/flag.html",
            context | {"error": error.message, "values": request.POST},
            status=400,
        )
    messages.success(request, _("Thank you: a moderator will look at it."))
    return redirect(idea.get_absolute_url())


@require_POST
def comment_delete(request, public_id):
    if not request.user.is_authenticated:
        raise Http404
    comment = tenant_row_or_404(
        request, Comment.objects.select_related("idea"), public_id=public_id, author=request.user
    )
    services.comment_withdraw(comment=comment, actor=request.user)
    messages.success(request, _("Your comment is deleted."))
    return redirect(f"{comment.idea.get_absolute_url()}#comments")


@require_POST
@rate_limited("follows")
def follow(request, public_id):
    idea = selectors.idea_for_viewer(request, public_id)
    if request.POST.get("follow") == "0":
        if not request.user.is_authenticated:
            raise Http404
        from notifications.services import unfollow

        unfollow(user=request.user, target_type="idea", target_id=idea.public_id)
        following = False
    else:
        # The terms first, as for comments; signed out or new here, the idea
        # is followed on their return (accounts.intents).
        blocked = participation_block(request, intent=("follow", idea.public_id))
        if blocked is not None:
            return blocked
        try:
            services.idea_follow(idea=idea, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(idea.get_absolute_url())
        following = True
    if request.htmx:
        return render(request, "ideas/public/_follow.html", {"idea": idea, "following": following})
    return redirect(idea.get_absolute_url())


@require_POST
def coauthor_invite(request, public_id):
    if not request.user.is_authenticated:
        raise Http404
    idea = selectors.idea_for_author(request, public_id)
    run_and_say(
        request,
        lambda: services.coauthor_invite(idea=idea, actor=request.user),
        _("Share the invitation link with your co-author."),
    )
    return redirect(f"{idea.get_absolute_url()}#coauthors")


@require_http_methods(["GET", "POST"])
def coauthor_join(request, token):
    invitation = tenant_row_or_404(
        request, Coauthor.objects.select_related("idea", "idea__campaign"), token=token
    )
    if invitation.status != Coauthor.Status.INVITED:
        raise Http404
    blocked = participation_block(request)
    if blocked is not None:
        return blocked
    idea = invitation.idea
    if request.method == "POST":
        run_and_say(
            request,
            lambda: services.coauthor_accept(invitation=invitation, user=request.user),
            _("You are now a co-author of this idea."),
        )
        return redirect(idea.get_absolute_url())
    return render(
        request,
        "ideas/public/coauthor_join.html",
        {"invitation": invitation, "idea": idea, "author_name": selectors.author_name(idea)},
    )


# --- Sitemaps and robots -------------------------------------------------------------------


@require_GET
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /console/",
        "Disallow: /api/",
        "Disallow: /accounts/",
        "Disallow: /notifications/",
        "Disallow: /ideas/mine/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_index(request):
    pages = selectors.sitemap_idea_pages(request.tenant)
    urls = [request.build_absolute_uri(reverse("ideas:sitemap_challenges"))] + [
        request.build_absolute_uri(reverse("ideas:sitemap_ideas", kwargs={"page": n}))
        for n in range(1, pages + 1)
    ]
    return render(
        request, "ideas/sitemap_index.xml", {"urls": urls}, content_type="application/xml"
    )


@require_GET
def sitemap_challenges(request):
    campaigns = selectors.sitemap_campaigns(request.tenant)
    entries = [
        {
            "loc": request.build_absolute_uri(reverse("campaigns:detail", kwargs={"slug": c.slug})),
            "lastmod": c.updated_at,
        }
        for c in campaigns
    ]
    entries.insert(0, {"loc": request.build_absolute_uri("/"), "lastmod": None})
    return render(
        request, "ideas/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )


@require_GET
def sitemap_ideas(request, page):
    if page < 1 or page > selectors.sitemap_idea_pages(request.tenant):
        raise Http404
    base = request.build_absolute_uri("/ideas/")
    entries = [
        {"loc": f"{base}{public_id}/", "lastmod": updated}
        for public_id, updated in selectors.sitemap_ideas(request.tenant, page)
    ]
    return render(
        request, "ideas/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )
