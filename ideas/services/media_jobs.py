"""The rendition job of an idea's image or video: claimed, retried, given up on
with a reason for the author."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.services import audit_record
from ideas import media
from ideas.models import Idea, Media
from ideas.services.common import _delete_files_on_commit, _delete_quietly
from ideas.services.moderation import _settle, _tell_moderators
from notifications.services import notify

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
                actor=None, action="idea.media_ready", target=idea, data={"state": idea.state}
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
        audit_record(actor=None, action="idea.media_failed", target=idea, reason=reason)
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
