"""Submitting, editing and withdrawing an idea, and following one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns import lifecycle
from campaigns.models import Campaign
from core.errors import FieldErrors, NotAllowed
from ideas import media, video_links
from ideas.models import Idea, Media
from ideas.services.attachments import (
    _attach_media,
    _drop_media,
    _media_of,
    _uploads_kept_only_on_success,
)
from ideas.services.common import (
    MB,
    TAGS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    IdeaError,
    _check_terms,
    can_edit,
    clean_tags,
    clean_text,
    is_author,
)
from ideas.services.meaning import embedding_schedule
from ideas.services.moderation import _settle, _tell_moderators, hold_reasons_for, moderation_rules
from ideas.services.search import idea_language, search_refresh
from notifications.services import follow

# --- Submission ----------------------------------------------------------------------------


def _kind_and_checks(
    *,
    campaign: Campaign,
    image,
    video,
    video_url: str,
    body: str,
    errors: FieldErrors,
    media_required: bool,
):
    """Which kind of idea this is, with its media checked (headers only)."""
    link = None
    info = None
    given = [name for name, value in (("image", image), ("video", video)) if value]
    if video_url:
        given.append("video_url")
    if len(given) > 1:
        errors.add(given[-1], _("Send one image, one video or one video link, not several."))
        return None, None, None
    if image:
        if not campaign.allow_image:
            errors.add("image", _("This challenge does not take images."))
            return None, None, None
        try:
            info = media.inspect_image(image, max_bytes=campaign.image_max_mb * MB)
        except media.MediaRefused as refused:
            errors.add("image", refused.message)
        return Idea.Kind.IMAGE, info, None
    if video:
        if not campaign.allow_video:
            errors.add("video", _("This challenge does not take videos."))
            return None, None, None
        try:
            info = media.inspect_video(
                video,
                max_bytes=campaign.video_max_mb * MB,
                max_seconds=campaign.video_max_seconds,
            )
        except media.MediaRefused as refused:
            errors.add("video", refused.message)
        return Idea.Kind.VIDEO, info, None
    if video_url:
        if not campaign.allow_video:
            errors.add("video_url", _("This challenge does not take videos."))
            return None, None, None
        link = video_links.parse(video_url)
        if link is None:
            errors.add("video_url", _("Paste the address of a YouTube or Vimeo video."))
        return Idea.Kind.VIDEO, None, link
    if media_required and not campaign.allow_text:
        errors.add(
            "image" if campaign.allow_image else "video",
            _("This challenge asks for an image or a video."),
        )
    elif media_required and not body:
        errors.add("body", _("Write your idea."))
    return Idea.Kind.TEXT, None, None


def _check_fields(*, campaign: Campaign, title: str, body: str, tags: list, errors: FieldErrors):
    if len(title) < TITLE_MIN:
        errors.add("title", _("Give your idea a title (at least %(n)s characters).") % {"n": 3})
    elif len(title) > TITLE_MAX:
        errors.add("title", _("The title is %(n)s characters at most.") % {"n": TITLE_MAX})
    if len(body) > campaign.text_max_chars:
        errors.add(
            "body",
            _("Your text is %(length)s characters long; this challenge takes %(max)s at most.")
            % {"length": len(body), "max": campaign.text_max_chars},
        )
    if len(tags) > TAGS_MAX:
        errors.add("tags", _("At most %(n)s tags.") % {"n": TAGS_MAX})


def _check_submission_open(campaign: Campaign, errors: FieldErrors, *, draft: bool):
    """The lifecycle says whether ideas are taken now; drafts may be written
    before the challenge opens."""
    allowed = lifecycle.allowed_now(campaign)
    if allowed.submit:
        return lifecycle.submission_round(campaign)
    if draft and allowed.phase in (lifecycle.Phase.UPCOMING, lifecycle.Phase.OPEN):
        return None
    raise IdeaError(
        _("This challenge does not take ideas now."),
        code="submissions_closed",
    )


def idea_submit(
    *,
    campaign: Campaign,
    author,
    title: str,
    body: str = "",
    tags=None,
    image=None,
    video=None,
    video_url: str = "",
    draft: bool = False,
) -> Idea:
    """Write a new idea: kept as a draft, or submitted (then pending or
    published). Media are checked by their headers here and processed by the
    media task after commit. Nothing is written when anything is refused."""
    tenant = campaign.tenant
    _check_terms(author, tenant)
    title = clean_text(title, single_line=True)
    body = clean_text(body)
    tags = clean_tags(tags)
    video_url = (video_url or "").strip()
    errors = FieldErrors()
    round_ = _check_submission_open(campaign, errors, draft=draft)
    _check_fields(campaign=campaign, title=title, body=body, tags=tags, errors=errors)
    kind, info, link = _kind_and_checks(
        campaign=campaign,
        image=image,
        video=video,
        video_url=video_url,
        body=body,
        errors=errors,
        media_required=not draft,
    )
    errors.raise_if_any(IdeaError)
    with _uploads_kept_only_on_success() as stored, transaction.atomic():
        idea = Idea.objects.create(
            tenant=tenant,
            campaign=campaign,
            round=round_,
            author=author,
            kind=kind,
            title=title,
            body=body,
            tags=tags,
            language=idea_language(title=title, body=body, author=author),
            video_provider=link.provider if link else "",
            video_ref=link.ref if link else "",
        )
        if info is not None:
            stored.append(_attach_media(idea, kind=kind, upload=image or video, info=info).upload)
        follow(user=author, target_type="idea", target_id=idea.public_id, tenant=tenant)
        if not draft:
            _submit(idea, actor=author)
        search_refresh(ideas=[idea])
        embedding_schedule(idea)
    return idea


def _submit(idea: Idea, *, actor) -> None:
    """A draft becomes a submission: held, or published at once."""
    rules = moderation_rules(idea.tenant)
    reasons = hold_reasons_for(f"{idea.title}\n{idea.body}\n{' '.join(idea.tags)}", rules=rules)
    if idea.campaign.moderation == Campaign.Moderation.PRE:
        reasons.insert(0, Idea.Hold.PRE_MODERATION)
    idea.hold_reasons = reasons
    idea.submitted_at = timezone.now()
    if idea.round_id is None:
        idea.round = lifecycle.submission_round(idea.campaign)
    _settle(idea, submitting=True)
    audit_record(
        actor=actor,
        action="idea.submit",
        target=idea,
        data={"state": idea.state, "holds": list(idea.hold_reasons)},
    )
    if idea.state == Idea.State.PENDING and Idea.Hold.MEDIA not in idea.hold_reasons:
        _tell_moderators(idea.tenant)


def idea_update(
    *,
    idea: Idea,
    actor,
    title: str | None = None,
    body: str | None = None,
    tags=None,
    image=None,
    video=None,
    video_url: str | None = None,
    remove_media: bool = False,
    submit: bool = False,
) -> Idea:
    """The author changes their idea (until its first vote), and may submit a
    draft. A published idea that now trips a rule goes back to review."""
    if not can_edit(actor, idea):
        raise NotAllowed(
            _("This idea can no longer be changed (it has votes, or it is closed)."),
            code="idea_locked",
        )
    campaign = idea.campaign
    title = clean_text(idea.title if title is None else title, single_line=True)
    body = clean_text(idea.body if body is None else body)
    tags = idea.tags if tags is None else clean_tags(tags)
    errors = FieldErrors()
    submitting = idea.state == Idea.State.DRAFT and submit
    if submitting or idea.state != Idea.State.DRAFT:
        _check_terms(actor, idea.tenant)
        if submitting:
            _check_submission_open(campaign, errors, draft=False)
    _check_fields(campaign=campaign, title=title, body=body, tags=tags, errors=errors)
    existing = _media_of(idea)
    keeps_media = existing is not None and not remove_media and not (image or video or video_url)
    keeps_link = (
        bool(idea.video_ref) and video_url is None and not remove_media and not (image or video)
    )
    if keeps_media or keeps_link:
        kind, info, link = idea.kind, None, None
    else:
        kind, info, link = _kind_and_checks(
            campaign=campaign,
            image=image,
            video=video,
            video_url=(video_url or "").strip(),
            body=body,
            errors=errors,
            media_required=idea.state != Idea.State.DRAFT or submit,
        )
    errors.raise_if_any(IdeaError)
    with _uploads_kept_only_on_success() as stored, transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if not can_edit(actor, idea):  # a vote arrived meanwhile
            raise NotAllowed(_("This idea can no longer be changed."), code="idea_locked")
        before = {"title": idea.title, "body": idea.body}
        idea.title, idea.body, idea.tags, idea.kind = title, body, tags, kind
        idea.language = idea_language(title=title, body=body, author=idea.author)
        if not keeps_link:
            idea.video_provider = link.provider if link else ""
            idea.video_ref = link.ref if link else ""
        idea.save(
            update_fields=[
                "title",
                "body",
                "tags",
                "language",
                "kind",
                "video_provider",
                "video_ref",
                "updated_at",
            ]
        )
        if info is not None:
            stored.append(_attach_media(idea, kind=kind, upload=image or video, info=info).upload)
        elif not keeps_media and existing is not None:
            _drop_media(idea)
        if submitting:
            _submit(idea, actor=actor)
        elif idea.state in (Idea.State.PENDING, Idea.State.PUBLISHED):
            _resettle_after_edit(idea, actor=actor, before=before)
        search_refresh(ideas=[idea])
        embedding_schedule(idea)
    return idea


def _resettle_after_edit(idea: Idea, *, actor, before: dict) -> None:
    """An edited submission is checked again against the rules; moderator
    decisions already taken (pre-moderation passed) stand unless the text now
    holds something the rules do not allow."""
    rules = moderation_rules(idea.tenant)
    reasons = hold_reasons_for(f"{idea.title}\n{idea.body}\n{' '.join(idea.tags)}", rules=rules)
    keep = [r for r in idea.hold_reasons if r in (Idea.Hold.PRE_MODERATION, Idea.Hold.FLAGS)]
    idea.hold_reasons = keep + [r for r in reasons if r not in keep]
    if idea.state == Idea.State.PUBLISHED and not idea.hold_reasons:
        row = _media_of(idea)
        if row is None or row.status != Media.Status.PROCESSING:
            audit_record(actor=actor, action="idea.edit", target=idea, data=before)
            return
    _settle(idea)
    audit_record(
        actor=actor,
        action="idea.edit",
        target=idea,
        data={**before, "state": idea.state, "holds": list(idea.hold_reasons)},
    )


def idea_withdraw(*, idea: Idea, actor, reason: str = "") -> Idea:
    """The author takes their idea back, at any time (it leaves the gallery)."""
    if not is_author(actor, idea):
        raise NotAllowed(_("Only the author can withdraw this idea."))
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if idea.state in (Idea.State.WITHDRAWN, Idea.State.MERGED):
            return idea
        previous = idea.state
        idea.state = Idea.State.WITHDRAWN
        idea.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="idea.withdraw",
            target=idea,
            reason=clean_text(reason)[:500],
            data={"from": previous},
        )
    return idea


# --- Following -------------------------------------------------------------------------------


def idea_follow(*, idea: Idea, user) -> None:
    """Following is taking part: it needs the tenant's terms accepted, as voting
    and commenting do (unfollowing needs nothing)."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to follow ideas."), code="not_signed_in")
    _check_terms(user, idea.tenant)
    follow(user=user, target_type="idea", target_id=idea.public_id, tenant=idea.tenant)
