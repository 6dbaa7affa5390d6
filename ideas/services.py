"""Every write on ideas, their media, comments, flags and co-authors.

Each use case is one keyword-only function that validates, writes inside one
transaction, records decisions in the audit trail and schedules side effects
(media task, notifications' e-mails) on commit. Errors are `IdeaError` (a
DomainError: 400 with field messages) or `NotAllowed` (403).

An idea's life (DESIGN.md): draft → pending → published, then hidden, rejected,
withdrawn or merged.

- Submitted, it goes to `pending` while something holds it — the challenge's
  pre-moderation, a blocked word, a link the tenant's rules hold, or its media
  still being processed (`hold_reasons`) — else straight to `published`.
- When its media is ready, the media hold goes; with no other hold the idea is
  published. When its media is refused by the task, the idea goes back to
  `draft` and the author is told why.
- N unresolved flags (the challenge's `flags_to_hide`) hide a published idea
  pending review.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import secrets
import unicodedata
import zoneinfo
from functools import partial

from django.contrib.postgres.search import SearchVector
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F, FloatField, Func, Q, TextField, Value
from django.db.models.functions import Coalesce, Greatest, Now, Power
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from accounts.models import Membership
from accounts.permissions import has_role
from accounts.selectors import has_accepted_current_terms, public_names, team_list
from accounts.services import audit_record
from campaigns import lifecycle
from campaigns.models import Campaign
from config.api import DomainError, FieldErrors
from ideas import extensions, media, tasks, video_links
from ideas.models import Coauthor, Comment, Flag, Idea, Media, ModerationRules
from notifications.services import follow, notify, notify_followers

logger = logging.getLogger(__name__)

MB = 1024 * 1024
TITLE_MIN, TITLE_MAX = 3, 120
COMMENT_MAX = 2000
TAGS_MAX, TAG_MAX_CHARS = 5, 30
COAUTHORS_MAX = 5
SEARCH_CONFIGS = {"fr": "french", "es": "spanish", "en": "english"}


class IdeaError(DomainError):
    code = "idea_invalid"


class NotAllowed(DomainError):
    code = "permission_denied"
    status = status.HTTP_403_FORBIDDEN


def search_config(tenant) -> str:
    """The PostgreSQL text-search configuration of the tenant's language."""
    return SEARCH_CONFIGS.get(tenant.default_language, "english")


# --- Text ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def clean_text(text: str | None, *, single_line: bool = False) -> str:
    """Text as typed, minus control and invisible characters; line ends unified.
    Never HTML: pages and e-mails escape it when they show it."""
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    if single_line:
        return " ".join(text.split())
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def clean_tags(tags) -> list[str]:
    """ "#Compras, hogar " → ["compras", "hogar"]: lower case, no duplicates."""
    if isinstance(tags, str):
        tags = re.split(r"[,;\n]", tags)
    cleaned = []
    for tag in tags or []:
        tag = clean_text(str(tag), single_line=True).lstrip("#").strip().lower()
        tag = re.sub(r"[^\w\- ]", "", tag).strip().replace(" ", "-")[:TAG_MAX_CHARS]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned


_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|es|fr|de|uk|co|info|"
    r"biz|xyz|ly|me|app|shop|online|site|eu|us|ru|cn)\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    """Lower case without accents, to match blocked words however they are typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def moderation_rules(tenant) -> ModerationRules:
    """The tenant's rules, or unsaved defaults (no blocked words, links held
    unless to the tenant's listed domains — none by default)."""
    rules = ModerationRules.objects.filter(tenant=tenant).first()
    return rules or ModerationRules(tenant=tenant)


def _link_domains(text: str) -> list[str]:
    domains = []
    for match in _LINK.findall(text):
        address = match if "://" in match else "https://" + match
        host = address.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].lower()
        domains.append(host.removeprefix("www."))
    return domains


def hold_reasons_for(text: str, *, rules: ModerationRules) -> list[str]:
    """The tenant's rules that hold this text for a moderator."""
    reasons = []
    folded = _fold(text)
    for word in rules.blocked_words:
        word = _fold(word.strip())
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            reasons.append(Idea.Hold.BLOCKED_WORD)
            break
    if rules.links != ModerationRules.Links.ALLOW:
        domains = _link_domains(text)
        if rules.links == ModerationRules.Links.HOLD_UNLISTED:
            allowed = {d.lower().removeprefix("www.") for d in rules.allowed_domains}
            domains = [
                d for d in domains if not any(d == a or d.endswith("." + a) for a in allowed)
            ]
        if domains:
            reasons.append(Idea.Hold.LINK)
    return reasons


# --- Who may do what -------------------------------------------------------------------------


def _check_terms(user, tenant) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to take part."), code="not_signed_in")
    if not has_accepted_current_terms(user, tenant):
        raise NotAllowed(
            _("Accept the terms of %(name)s before taking part.") % {"name": tenant.name},
            code="terms_not_accepted",
        )


def _check_moderator(actor, tenant) -> None:
    if not has_role(actor, tenant, Membership.Role.MODERATOR):
        raise NotAllowed(_("Only the brand's moderators can do this."))


def is_author(user, idea: Idea) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and idea.author_id == user.pk


def can_edit(user, idea: Idea) -> bool:
    """The author edits until the first vote, while the idea is still theirs to change."""
    return (
        is_author(user, idea)
        and idea.state in (Idea.State.DRAFT, Idea.State.PENDING, Idea.State.PUBLISHED)
        and idea.vote_count == 0
    )


def can_withdraw(user, idea: Idea) -> bool:
    return is_author(user, idea) and idea.state not in (
        Idea.State.WITHDRAWN,
        Idea.State.MERGED,
    )


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


def _store_upload(media_row: Media, upload, detected_format: str) -> None:
    """Save the upload under a name we choose (never the one sent)."""
    name = f"upload.{media.extension_for(detected_format)}"
    upload.seek(0)
    media_row.upload.save(name, File(upload), save=False)


def _delete_files_on_commit(files) -> None:
    for stored in files:
        if stored:
            transaction.on_commit(partial(_delete_quietly, stored.storage, stored.name))


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # a file that cannot be deleted must not fail the use case
        logger.exception("could not delete %s", name)


def _attach_media(idea: Idea, *, kind: str, upload, info) -> Media:
    """Replace the idea's media with a new upload, processed by the media task."""
    old = Media.objects.filter(idea=idea).first()
    if old is not None:
        _delete_files_on_commit([old.upload, *old.rendition_files()])
        old.delete()
    row = Media(
        tenant=idea.tenant,
        idea=idea,
        kind=Media.Kind.IMAGE if kind == Idea.Kind.IMAGE else Media.Kind.VIDEO,
        upload_name=media.safe_name(getattr(upload, "name", "")),
        upload_size=upload.size,
        detected_format=info.format,
        width=info.width,
        height=info.height,
        duration=getattr(info, "duration", None),
    )
    _store_upload(row, upload, info.format)
    try:
        row.save()
    except Exception:
        _delete_quietly(row.upload.storage, row.upload.name)
        raise
    transaction.on_commit(
        partial(tasks.media_process.delay, tenant_id=idea.tenant_id, media_id=row.pk)
    )
    return row


def _drop_media(idea: Idea) -> None:
    old = Media.objects.filter(idea=idea).first()
    if old is not None:
        _delete_files_on_commit([old.upload, *old.rendition_files()])
        old.delete()
    if hasattr(idea, "_state") and "media" in idea._state.fields_cache:
        del idea._state.fields_cache["media"]


def search_refresh(*, ideas) -> None:
    """Recompute the full-text vector of these ideas, in the tenant's language."""
    ideas = list(ideas)
    if not ideas:
        return
    config = search_config(ideas[0].tenant)
    tags = Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField())
    Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(
        search_vector=SearchVector("title", weight="A", config=config)
        + SearchVector(tags, weight="A", config=config)
        + SearchVector("body", weight="B", config=config)
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
            video_provider=link.provider if link else "",
            video_ref=link.ref if link else "",
        )
        if info is not None:
            stored.append(_attach_media(idea, kind=kind, upload=image or video, info=info).upload)
        follow(user=author, target_type="idea", target_id=idea.public_id, tenant=tenant)
        if not draft:
            _submit(idea, actor=author)
        search_refresh(ideas=[idea])
    return idea


@contextlib.contextmanager
def _uploads_kept_only_on_success():
    """Files stored during a use case that then fails are deleted: a refused or
    failed submission leaves nothing in storage."""
    stored = []
    try:
        yield stored
    except BaseException:
        for upload in stored:
            _delete_quietly(upload.storage, upload.name)
        raise


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
    _settle(idea)
    audit_record(
        tenant=idea.tenant,
        actor=actor,
        action="idea.submit",
        target=idea,
        data={"state": idea.state, "holds": list(idea.hold_reasons)},
    )
    if idea.state == Idea.State.PENDING and Idea.Hold.MEDIA not in idea.hold_reasons:
        _tell_moderators(idea.tenant)


def _media_of(idea: Idea) -> Media | None:
    try:
        return idea.media
    except Media.DoesNotExist:
        return None


def _settle(idea: Idea) -> None:
    """Pending while a hold remains (its media processing included), else published."""
    reasons = [r for r in idea.hold_reasons if r != Idea.Hold.MEDIA]
    row = _media_of(idea)
    if row is not None and row.status == Media.Status.PROCESSING:
        reasons.append(Idea.Hold.MEDIA)
    idea.hold_reasons = reasons
    if reasons:
        idea.state = Idea.State.PENDING
    else:
        idea.state = Idea.State.PUBLISHED
        idea.published_at = idea.published_at or timezone.now()
        idea.trending_score = trending_now(idea)
    idea.save(
        update_fields=[
            "state",
            "hold_reasons",
            "submitted_at",
            "round",
            "published_at",
            "trending_score",
            "updated_at",
        ]
    )


def _tell_moderators(tenant) -> None:
    """Once a day at most (the brand's day, in its time zone), the team hears
    that contributions wait for a decision: held for review, or hidden by flags
    until a moderator looks. Nothing waiting, nobody told. Digests follow each
    person's preference."""
    held = Q(state=Idea.State.PENDING) | Q(
        state=Idea.State.HIDDEN, hold_reasons__contains=[Idea.Hold.FLAGS]
    )
    waiting = (
        Idea.objects.filter(held, tenant=tenant)
        .exclude(hold_reasons__contains=[Idea.Hold.MEDIA])
        .count()
        + Comment.objects.filter(held, tenant=tenant).count()
    )
    if not waiting:
        return
    day = timezone.localdate(timezone=zoneinfo.ZoneInfo(tenant.time_zone)).isoformat()
    for membership in team_list(tenant=tenant).exclude(role=Membership.Role.JUROR):
        notify(
            recipient=membership.user,
            event="moderation.queue_waiting",
            tenant=tenant,
            context={"waiting_count": waiting, "url": "/console/moderation/"},
            dedupe_key=f"moderation.queue_waiting:{day}",
        )


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
        if not keeps_link:
            idea.video_provider = link.provider if link else ""
            idea.video_ref = link.ref if link else ""
        idea.save(
            update_fields=[
                "title",
                "body",
                "tags",
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
            audit_record(
                tenant=idea.tenant, actor=actor, action="idea.edit", target=idea, data=before
            )
            return
    _settle(idea)
    audit_record(
        tenant=idea.tenant,
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
            tenant=idea.tenant,
            actor=actor,
            action="idea.withdraw",
            target=idea,
            reason=clean_text(reason)[:500],
            data={"from": previous},
        )
    return idea


# --- Media processing (the task's body) ---------------------------------------------------

CLAIM_SECONDS = 15 * 60


def media_process(*, media_id: int) -> str:
    """Decode and render an idea's upload; called by `tasks.media_process`.

    Idempotent: the media is claimed with a conditional UPDATE (a second run,
    or a run on another worker, finds it claimed or done and returns). The
    heavy work runs outside any transaction; the result is written only if the
    media is still the one claimed (not replaced or deleted meanwhile).
    Returns "ready", "failed" or "skipped"."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=CLAIM_SECONDS)
    claimed = (
        Media.objects.filter(pk=media_id, status=Media.Status.PROCESSING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
    )
    if claimed != 1:
        return "skipped"
    row = Media.objects.select_related("idea", "idea__campaign", "tenant").get(pk=media_id)
    campaign = row.idea.campaign
    try:
        with media.workdir() as workdir:
            source = workdir / f"source.{media.extension_for(row.detected_format)}"
            with row.upload.open("rb") as stored, open(source, "wb") as local:
                for chunk in stored.chunks():
                    local.write(chunk)
            if row.kind == Media.Kind.IMAGE:
                renditions = media.render_image(source)
            else:
                renditions = media.render_video(
                    source,
                    workdir,
                    max_seconds=campaign.video_max_seconds,
                    timeout=media.limit("IDEAS_VIDEO_TRANSCODE_SECONDS", 240),
                )
            return _media_ready(row, renditions, claimed_at=now)
    except media.MediaRefused as refused:
        return _media_failed(row, refused.message, claimed_at=now)


def _media_ready(row: Media, renditions: media.Renditions, *, claimed_at) -> str:
    saved = []
    try:
        for field, content in (
            ("thumbnail", renditions.thumbnail),
            ("detail", renditions.detail),
            ("share_card", renditions.share_card),
        ):
            getattr(row, field).save(f"{field}.jpg", ContentFile(content), save=False)
            saved.append(getattr(row, field))
        if renditions.video_path is not None:
            with open(renditions.video_path, "rb") as video:
                row.video.save("video.mp4", File(video), save=False)
            saved.append(row.video)
    except Exception:
        for stored in saved:
            _delete_quietly(stored.storage, stored.name)
        raise
    with transaction.atomic():
        current = Media.objects.select_for_update().filter(pk=row.pk).first()
        if current is None or current.claimed_at != claimed_at:
            for stored in saved:  # replaced or deleted while we worked
                _delete_quietly(stored.storage, stored.name)
            return "skipped"
        _delete_files_on_commit([current.upload])
        row.upload = ""
        row.status = Media.Status.READY
        row.failure = ""
        row.width, row.height = renditions.width, renditions.height
        if renditions.duration is not None:
            row.duration = renditions.duration
        row.processed_at = timezone.now()
        row.save(
            update_fields=[
                "upload",
                "status",
                "failure",
                "width",
                "height",
                "duration",
                "processed_at",
                "thumbnail",
                "detail",
                "share_card",
                "video",
            ]
        )
        idea = Idea.objects.select_for_update().get(pk=row.idea_id)
        idea.media = row
        if idea.state == Idea.State.PENDING and Idea.Hold.MEDIA in idea.hold_reasons:
            _settle(idea)
            audit_record(
                tenant=idea.tenant,
                actor=None,
                action="idea.media_ready",
                target=idea,
                data={"state": idea.state},
            )
            if idea.state == Idea.State.PENDING:
                _tell_moderators(idea.tenant)
    return "ready"


def _media_failed(row: Media, reason: str, *, claimed_at) -> str:
    """The upload is refused: files deleted, the idea back to draft, the author told."""
    with transaction.atomic():
        current = Media.objects.select_for_update().filter(pk=row.pk).first()
        if current is None or current.claimed_at != claimed_at:
            return "skipped"
        _delete_files_on_commit([current.upload, *current.rendition_files()])
        current.upload = ""
        current.status = Media.Status.FAILED
        current.failure = reason
        current.processed_at = timezone.now()
        current.save(update_fields=["upload", "status", "failure", "processed_at"])
        idea = Idea.objects.select_for_update().get(pk=current.idea_id)
        if idea.state == Idea.State.PENDING:
            idea.state = Idea.State.DRAFT
            idea.hold_reasons = []
            idea.save(update_fields=["state", "hold_reasons", "updated_at"])
        audit_record(
            tenant=idea.tenant,
            actor=None,
            action="idea.media_failed",
            target=idea,
            reason=reason,
        )
        if idea.author is not None:
            notify(
                recipient=idea.author,
                event="idea.media_failed",
                tenant=idea.tenant,
                context={
                    "idea_title": idea.title,
                    "reason": reason,
                    "url": f"/ideas/{idea.public_id}/edit/",
                },
                dedupe_key=f"idea.media_failed:{current.public_id}",
            )
    return "failed"


def media_give_up(*, media_id: int, reason: str) -> str:
    """The task ran out of time or retries: refuse the upload with `reason`."""
    row = Media.objects.filter(pk=media_id, status=Media.Status.PROCESSING).first()
    if row is None:
        return "skipped"
    return _media_failed(row, reason, claimed_at=row.claimed_at)


# --- Moderation ----------------------------------------------------------------------------

MODERATION_ACTIONS = ("approve", "hide", "reject")


def _resolve_flags(**target) -> None:
    Flag.objects.filter(resolved_at__isnull=True, **target).update(resolved_at=timezone.now())


def _check_action(action: str, reason: str) -> str:
    if action not in MODERATION_ACTIONS:
        raise IdeaError(_("Choose approve, hide or reject."), fields={"action": [_("Unknown.")]})
    reason = clean_text(reason)[:1000]
    if action in ("hide", "reject") and not reason:
        raise IdeaError(
            _("Give a reason: the author will read it."),
            fields={"reason": [_("This field is required.")]},
        )
    return reason


IDEA_MODERATION = {
    # action: (states it applies to, resulting state, event for the author)
    "approve": (
        (Idea.State.PENDING, Idea.State.HIDDEN, Idea.State.PUBLISHED),
        Idea.State.PUBLISHED,
        "idea.approved",
    ),
    "hide": ((Idea.State.PENDING, Idea.State.PUBLISHED), Idea.State.HIDDEN, "idea.hidden"),
    "reject": (
        (Idea.State.PENDING, Idea.State.HIDDEN, Idea.State.PUBLISHED),
        Idea.State.REJECTED,
        "idea.rejected",
    ),
}


def ideas_moderate(*, ideas, actor, action: str, reason: str = "") -> dict:
    """A moderator approves, hides or rejects ideas (one or many at once). Each
    decision is recorded; each author is told (with the reason). Ideas whose
    media is still processing, or in a state the action does not apply to,
    are left alone and counted as skipped."""
    ideas = list(ideas)
    if not ideas:
        raise IdeaError(_("Choose at least one idea."), fields={"ideas": [_("Choose one.")]})
    tenant = ideas[0].tenant
    _check_moderator(actor, tenant)
    reason = _check_action(action, reason)
    from_states, to_state, event = IDEA_MODERATION[action]
    done, skipped = [], []
    with transaction.atomic():
        locked = (
            Idea.objects.select_for_update()
            .filter(tenant=tenant, pk__in=[i.pk for i in ideas])
            .order_by("pk")
        )
        for idea in locked:
            if idea.state not in from_states or idea.is_processing:
                skipped.append(idea)
                continue
            previous = idea.state
            was_public = previous == Idea.State.PUBLISHED
            idea.state = to_state
            idea.moderation_reason = reason
            idea.hold_reasons = []
            if to_state == Idea.State.PUBLISHED:
                idea.published_at = idea.published_at or timezone.now()
            idea.flag_count = 0
            idea.save(
                update_fields=[
                    "state",
                    "moderation_reason",
                    "hold_reasons",
                    "published_at",
                    "flag_count",
                    "updated_at",
                ]
            )
            _resolve_flags(idea=idea)
            audit_record(
                tenant=tenant,
                actor=actor,
                action=f"idea.{action}",
                target=idea,
                reason=reason,
                data={"from": previous, "to": to_state},
            )
            done.append(idea)
            approved_again = action == "approve" and was_public
            if idea.author is not None and not approved_again:
                notify(
                    recipient=idea.author,
                    event=event,
                    tenant=tenant,
                    context={
                        "idea_title": idea.title,
                        "reason": reason,
                        "url": idea.get_absolute_url()
                        if to_state == Idea.State.PUBLISHED
                        else "/ideas/mine/",
                    },
                )
    return {"done": done, "skipped": skipped}


def idea_flag(*, idea: Idea, reporter, reason: str, note: str = "") -> Flag:
    """A participant reports a published idea. At the challenge's threshold of
    unresolved flags, the idea is hidden pending review."""
    _check_flag(reporter, idea.tenant, reason, is_own=is_author(reporter, idea))
    if idea.state != Idea.State.PUBLISHED:
        raise IdeaError(_("This idea is already being reviewed."), code="not_published")
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    tenant=idea.tenant,
                    idea=idea,
                    reporter=reporter,
                    reason=reason,
                    note=clean_text(note)[:500],
                )
        except IntegrityError:
            raise IdeaError(
                _("You already reported this idea: a moderator will look at it."),
                code="already_flagged",
            ) from None
        Idea.objects.filter(pk=idea.pk).update(flag_count=F("flag_count") + 1)
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        threshold = idea.campaign.flags_to_hide
        if threshold and idea.flag_count >= threshold and idea.state == Idea.State.PUBLISHED:
            idea.state = Idea.State.HIDDEN
            idea.hold_reasons = [Idea.Hold.FLAGS]
            idea.save(update_fields=["state", "hold_reasons", "updated_at"])
            audit_record(
                tenant=idea.tenant,
                actor=None,
                action="idea.auto_hide",
                target=idea,
                reason=_("%(n)s flags") % {"n": idea.flag_count},
                data={"flags": idea.flag_count, "threshold": threshold},
            )
            _tell_moderators(idea.tenant)
    return flag


def _check_flag(reporter, tenant, reason: str, *, is_own: bool) -> None:
    _check_terms(reporter, tenant)
    if reason not in Flag.Reason.values:
        raise IdeaError(_("Choose why you report it."), fields={"reason": [_("Choose a reason.")]})
    if is_own:
        raise IdeaError(_("You cannot report your own contribution."), code="own_content")


def idea_merge(*, duplicate: Idea, into: Idea, actor, reason: str = "") -> Idea:
    """A moderator merges a duplicate into another idea of the same challenge:
    the voting app moves its votes (see extensions.register_merge_handler), its
    comments move, its author becomes a co-author, and its address redirects."""
    _check_moderator(actor, duplicate.tenant)
    if duplicate.pk == into.pk:
        raise IdeaError(_("Choose another idea to merge into."), code="merge_same")
    if duplicate.campaign_id != into.campaign_id:
        raise IdeaError(_("Both ideas must belong to the same challenge."), code="merge_campaign")
    open_states = (Idea.State.PENDING, Idea.State.PUBLISHED, Idea.State.HIDDEN)
    reason = clean_text(reason)[:1000]
    with transaction.atomic():
        first, second = sorted([duplicate.pk, into.pk])
        locked = {i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[first, second])}
        duplicate, into = locked[duplicate.pk], locked[into.pk]
        if duplicate.state not in open_states:
            raise IdeaError(_("This idea cannot be merged any more."), code="merge_state")
        if into.state != Idea.State.PUBLISHED:
            raise IdeaError(_("Merge into a published idea."), code="merge_target_state")
        for handler in extensions.merge_handlers():
            handler(duplicate=duplicate, into=into)
        author = duplicate.author
        if author is not None and author.pk != into.author_id:
            Coauthor.objects.update_or_create(
                tenant=into.tenant,
                idea=into,
                user=author,
                defaults={
                    "status": Coauthor.Status.ACCEPTED,
                    "via_merge": True,
                    "accepted_at": timezone.now(),
                    "token": secrets.token_urlsafe(24),
                },
            )
        Comment.objects.filter(idea=duplicate).update(idea=into)
        Idea.objects.filter(merged_into=duplicate).update(merged_into=into)
        _resolve_flags(idea=duplicate)
        duplicate.state = Idea.State.MERGED
        duplicate.merged_into = into
        duplicate.moderation_reason = reason
        duplicate.hold_reasons = []
        duplicate.flag_count = 0
        duplicate.save(
            update_fields=[
                "state",
                "merged_into",
                "moderation_reason",
                "hold_reasons",
                "flag_count",
                "updated_at",
            ]
        )
        _recount_comments([into])
        for target, data in ((duplicate, {"into": str(into.public_id)}),
                             (into, {"merged": str(duplicate.public_id)})):  # fmt: skip
            audit_record(
                tenant=into.tenant,
                actor=actor,
                action="idea.merge",
                target=target,
                reason=reason,
                data=data,
            )
        if author is not None:
            notify(
                recipient=author,
                event="idea.merged",
                tenant=into.tenant,
                context={
                    "idea_title": duplicate.title,
                    "into_title": into.title,
                    "url": into.get_absolute_url(),
                },
            )
    return into


# --- Co-authors --------------------------------------------------------------------------


def coauthor_invite(*, idea: Idea, actor) -> Coauthor:
    """The author makes an invitation link for a co-author (shared by them)."""
    if not is_author(actor, idea) or idea.state in (Idea.State.WITHDRAWN, Idea.State.MERGED):
        raise NotAllowed(_("Only the author can invite co-authors."))
    with transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        active = Coauthor.objects.filter(idea=idea).exclude(status=Coauthor.Status.REVOKED)
        if active.count() >= COAUTHORS_MAX:
            raise IdeaError(
                _("An idea has %(n)s co-authors at most.") % {"n": COAUTHORS_MAX},
                code="too_many_coauthors",
            )
        invitation = Coauthor.objects.create(
            tenant=idea.tenant, idea=idea, token=secrets.token_urlsafe(24), invited_by=actor
        )
        audit_record(tenant=idea.tenant, actor=actor, action="idea.coauthor_invite", target=idea)
    return invitation


def coauthor_accept(*, invitation: Coauthor, user) -> Coauthor:
    idea = invitation.idea
    _check_terms(user, idea.tenant)
    if invitation.status != Coauthor.Status.INVITED:
        raise IdeaError(_("This invitation was already used or withdrawn."), code="invitation_used")
    if idea.author_id == user.pk:
        raise IdeaError(_("You are the author of this idea."), code="own_content")
    with transaction.atomic():
        invitation = Coauthor.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Coauthor.Status.INVITED:
            raise IdeaError(
                _("This invitation was already used or withdrawn."), code="invitation_used"
            )
        if Coauthor.objects.filter(idea=idea, user=user).exists():
            raise IdeaError(_("You are already a co-author of this idea."), code="already_coauthor")
        invitation.user = user
        invitation.status = Coauthor.Status.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["user", "status", "accepted_at"])
        follow(user=user, target_type="idea", target_id=idea.public_id, tenant=idea.tenant)
        audit_record(tenant=idea.tenant, actor=user, action="idea.coauthor_accept", target=idea)
    return invitation


def coauthor_remove(*, coauthor: Coauthor, actor) -> Coauthor:
    idea = coauthor.idea
    if not (is_author(actor, idea) or coauthor.user_id == getattr(actor, "pk", None)):
        raise NotAllowed(_("Only the author can remove a co-author."))
    with transaction.atomic():
        coauthor.status = Coauthor.Status.REVOKED
        coauthor.save(update_fields=["status"])
        audit_record(
            tenant=idea.tenant,
            actor=actor,
            action="idea.coauthor_remove",
            target=idea,
            data={"coauthor": str(coauthor.public_id)},
        )
    return coauthor


# --- Comments ------------------------------------------------------------------------------


def _recount_comments(ideas) -> None:
    for idea in ideas:
        count = Comment.objects.filter(idea=idea, state=Comment.State.PUBLISHED).count()
        Idea.objects.filter(pk=idea.pk).update(comment_count=count)
        idea.comment_count = count


def comment_post(*, idea: Idea, author, body: str, parent: Comment | None = None) -> Comment:
    """A participant comments on a published idea, or replies to a comment (a
    reply to a reply joins the same thread: one level only)."""
    _check_terms(author, idea.tenant)
    body = clean_text(body)
    if not body:
        raise IdeaError(_("Write your comment."), fields={"body": [_("Write your comment.")]})
    if len(body) > COMMENT_MAX:
        raise IdeaError(
            _("A comment is %(n)s characters at most.") % {"n": COMMENT_MAX},
            fields={"body": [_("Too long.")]},
        )
    if idea.state != Idea.State.PUBLISHED:
        raise IdeaError(_("This idea does not take comments."), code="not_published")
    if idea.campaign.status == Campaign.Status.ARCHIVED:
        raise IdeaError(_("This challenge is archived."), code="archived")
    if parent is not None:
        if parent.idea_id != idea.pk or parent.state != Comment.State.PUBLISHED:
            raise IdeaError(_("This comment cannot be answered."), code="bad_parent")
        if parent.parent_id is not None:
            parent = parent.parent
    reasons = hold_reasons_for(body, rules=moderation_rules(idea.tenant))
    if idea.campaign.moderation == Campaign.Moderation.PRE:
        reasons.insert(0, Idea.Hold.PRE_MODERATION)
    with transaction.atomic():
        comment = Comment.objects.create(
            tenant=idea.tenant,
            idea=idea,
            parent=parent,
            author=author,
            body=body,
            hold_reasons=reasons,
            state=Comment.State.PENDING if reasons else Comment.State.PUBLISHED,
            published_at=None if reasons else timezone.now(),
        )
        follow(user=author, target_type="idea", target_id=idea.public_id, tenant=idea.tenant)
        if comment.state == Comment.State.PUBLISHED:
            _comment_published(comment)
        else:
            _tell_moderators(idea.tenant)
    return comment


def _comment_published(comment: Comment) -> None:
    """Counts, trending, and the people told: the idea's author, the author of
    the comment answered, then the idea's followers."""
    idea = Idea.objects.select_for_update().get(pk=comment.idea_id)
    _recount_comments([idea])
    idea.trending_score = trending_now(idea)
    Idea.objects.filter(pk=idea.pk).update(trending_score=idea.trending_score)
    writer = comment.author
    names = public_names(tenant=idea.tenant, user_ids=[writer.pk]) if writer else {}
    context = {
        "idea_title": idea.title,
        "author_name": names.get(writer.pk) if writer else _("Former participant"),
        "excerpt": comment.body[:140],
        "url": f"{idea.get_absolute_url()}#comment-{comment.public_id}",
    }
    told = {writer.pk} if writer else set()
    if idea.author is not None and idea.author_id not in told:
        notify(recipient=idea.author, event="comment.on_my_idea", tenant=idea.tenant,
               context=context, dedupe_key=f"comment:{comment.public_id}")  # fmt: skip
        told.add(idea.author_id)
    parent_author = comment.parent.author if comment.parent_id else None
    if parent_author is not None and parent_author.pk not in told:
        notify(recipient=parent_author, event="comment.reply", tenant=idea.tenant,
               context=context, dedupe_key=f"comment:{comment.public_id}")  # fmt: skip
        told.add(parent_author.pk)
    notify_followers(
        target_type="idea",
        target_id=idea.public_id,
        event="comment.on_followed_idea",
        tenant=idea.tenant,
        context=context,
        exclude=told,
        dedupe_key=f"comment:{comment.public_id}",
    )


COMMENT_MODERATION = {
    "approve": ((Comment.State.PENDING, Comment.State.HIDDEN), Comment.State.PUBLISHED),
    "hide": ((Comment.State.PENDING, Comment.State.PUBLISHED), Comment.State.HIDDEN),
    "reject": (
        (Comment.State.PENDING, Comment.State.HIDDEN, Comment.State.PUBLISHED),
        Comment.State.REJECTED,
    ),
}


def comments_moderate(*, comments, actor, action: str, reason: str = "") -> dict:
    comments = list(comments)
    if not comments:
        raise IdeaError(_("Choose at least one comment."), fields={"comments": [_("Choose one.")]})
    tenant = comments[0].tenant
    _check_moderator(actor, tenant)
    reason = _check_action(action, reason)
    from_states, to_state = COMMENT_MODERATION[action]
    done, skipped = [], []
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .filter(tenant=tenant, pk__in=[c.pk for c in comments])
            .select_related("idea", "parent", "author")
            .order_by("pk")
        )
        for comment in locked:
            if comment.state not in from_states:
                skipped.append(comment)
                continue
            previous = comment.state
            comment.state = to_state
            comment.moderation_reason = reason
            comment.hold_reasons = []
            comment.flag_count = 0
            first_time = to_state == Comment.State.PUBLISHED and comment.published_at is None
            if to_state == Comment.State.PUBLISHED:
                comment.published_at = comment.published_at or timezone.now()
            comment.save(
                update_fields=[
                    "state",
                    "moderation_reason",
                    "hold_reasons",
                    "flag_count",
                    "published_at",
                ]
            )
            _resolve_flags(comment=comment)
            audit_record(
                tenant=tenant,
                actor=actor,
                action=f"comment.{action}",
                target=comment,
                reason=reason,
                data={"from": previous, "to": to_state, "idea": str(comment.idea.public_id)},
            )
            if first_time and comment.idea.state == Idea.State.PUBLISHED:
                _comment_published(comment)
            else:
                _recount_comments([comment.idea])
            done.append(comment)
    return {"done": done, "skipped": skipped}


def comment_withdraw(*, comment: Comment, actor) -> Comment:
    if not getattr(actor, "is_authenticated", False) or comment.author_id != actor.pk:
        raise NotAllowed(_("Only its author can delete this comment."))
    with transaction.atomic():
        comment.state = Comment.State.WITHDRAWN
        comment.save(update_fields=["state"])
        _recount_comments([comment.idea])
    return comment


def comment_flag(*, comment: Comment, reporter, reason: str, note: str = "") -> Flag:
    _check_flag(
        reporter,
        comment.tenant,
        reason,
        is_own=comment.author_id == getattr(reporter, "pk", None),
    )
    if comment.state != Comment.State.PUBLISHED:
        raise IdeaError(_("This comment is already being reviewed."), code="not_published")
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    tenant=comment.tenant,
                    comment=comment,
                    reporter=reporter,
                    reason=reason,
                    note=clean_text(note)[:500],
                )
        except IntegrityError:
            raise IdeaError(
                _("You already reported this comment: a moderator will look at it."),
                code="already_flagged",
            ) from None
        Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
        comment = (
            Comment.objects.select_for_update().select_related("idea__campaign").get(pk=comment.pk)
        )
        threshold = comment.idea.campaign.flags_to_hide
        if threshold and comment.flag_count >= threshold:
            comment.state = Comment.State.HIDDEN
            comment.hold_reasons = [Idea.Hold.FLAGS]
            comment.save(update_fields=["state", "hold_reasons"])
            _recount_comments([comment.idea])
            audit_record(
                tenant=comment.tenant,
                actor=None,
                action="comment.auto_hide",
                target=comment,
                data={"flags": comment.flag_count, "threshold": threshold},
            )
            _tell_moderators(comment.tenant)
    return flag


# --- Following -------------------------------------------------------------------------------


def idea_follow(*, idea: Idea, user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to follow ideas."), code="not_signed_in")
    follow(user=user, target_type="idea", target_id=idea.public_id, tenant=idea.tenant)


# --- The tenant's rules ------------------------------------------------------------------


def moderation_rules_update(
    *, tenant, actor, blocked_words, links: str, allowed_domains
) -> ModerationRules:
    """Owners and administrators set the words and link rules that hold a
    contribution for review."""
    if not has_role(actor, tenant, Membership.Role.ADMIN):
        raise NotAllowed(_("Only owners and administrators change the moderation rules."))
    if isinstance(blocked_words, str):
        blocked_words = re.split(r"[,\n]", blocked_words)
    if isinstance(allowed_domains, str):
        allowed_domains = re.split(r"[,\s]+", allowed_domains)
    words = []
    for word in blocked_words or []:
        word = clean_text(str(word), single_line=True)[:60]
        if word and word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
    errors = FieldErrors()
    if links not in ModerationRules.Links.values:
        errors.add("links", _("Choose a rule for links."))
    domains = []
    for domain in allowed_domains or []:
        domain = str(domain).strip().lower().removeprefix("https://").removeprefix("http://")
        domain = domain.split("/", 1)[0].removeprefix("www.")
        if not domain:
            continue
        if not re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,63}", domain):
            errors.add("allowed_domains", _("“%(d)s” is not a domain name.") % {"d": domain})
        elif domain not in domains:
            domains.append(domain)
    if len(words) > 500:
        errors.add("blocked_words", _("At most 500 blocked words."))
    errors.raise_if_any(IdeaError)
    with transaction.atomic():
        rules, _created = ModerationRules.objects.select_for_update().get_or_create(tenant=tenant)
        rules.blocked_words, rules.links, rules.allowed_domains = words, links, domains
        rules.save(update_fields=["blocked_words", "links", "allowed_domains", "updated_at"])
        audit_record(
            tenant=tenant,
            actor=actor,
            action="moderation_rules.update",
            target=rules,
            data={"blocked_words": len(words), "links": links, "allowed_domains": domains},
        )
    return rules


# --- Trending ---------------------------------------------------------------------------------

TRENDING_GRAVITY = 1.5


def trending_formula():
    """(votes + 2 x comments + 1) / (hours since publication + 2) ^ 1.5: recent
    activity rises, age sinks (the voting app may pass recent votes instead of
    all votes by calling `trending_refresh` after its own counts)."""
    hours = Greatest(
        Func(
            Now() - Coalesce(F("published_at"), Now()),
            template="EXTRACT(EPOCH FROM %(expressions)s)",
            output_field=FloatField(),
        )
        / Value(3600.0),
        Value(0.0),
    )
    activity = F("vote_count") + Value(2) * F("comment_count") + Value(1)
    return activity / Power(hours + Value(2.0), Value(TRENDING_GRAVITY))


def trending_now(idea: Idea) -> float:
    published = idea.published_at or timezone.now()
    hours = max(0.0, (timezone.now() - published).total_seconds() / 3600)
    activity = idea.vote_count + 2 * idea.comment_count + 1
    return activity / (hours + 2.0) ** TRENDING_GRAVITY


def trending_refresh(*, tenant) -> int:
    """Recompute the trending score of the published ideas of the tenant's
    running challenges (one UPDATE)."""
    return Idea.objects.filter(
        tenant=tenant,
        state=Idea.State.PUBLISHED,
        campaign__status__in=(Campaign.Status.OPEN, Campaign.Status.SCHEDULED),
    ).update(trending_score=trending_formula())
