"""The rendition job of an idea's image or video: claimed, retried, given up on
with a reason for the author."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from accounts.services import audit_record
from ideas import media
from ideas.models import Idea, Media
from ideas.services.common import _delete_files_on_commit, _delete_quietly
from ideas.services.moderation import _settle, _tell_moderators
from notifications.services import notify

# --- Media processing (the task's body) ---------------------------------------------------

logger = logging.getLogger(__name__)

# A claim older than this belongs to a run that died: longer than the media
# task's hard time limit, so a live run's claim is never taken from it.
CLAIM_SECONDS = 15 * 60
# A media nobody claimed this long after its upload (or its last re-queue) has
# lost its message: the sweep queues it again.
UNCLAIMED_SECONDS = 10 * 60
# Runs that claimed a media before it is given up: a file that kills its worker
# every time (memory, a crash in a decoder) must not loop for ever. Counts
# the task's own retries too (at most 3).
MAX_ATTEMPTS = 5


def _claim(*, media_id: int, job_id: str, now) -> bool:
    claimable = Q(claimed_at__isnull=True) | Q(
        claimed_at__lt=now - dt.timedelta(seconds=CLAIM_SECONDS)
    )
    if job_id:  # the same job delivered again: its previous run is dead
        claimable |= Q(claimed_by=job_id)
    claimed = (
        Media.objects.filter(pk=media_id, status=Media.Status.PROCESSING)
        .filter(claimable)
        .update(claimed_at=now, claimed_by=job_id, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _give_up_reason(tenant) -> str:
    with override(tenant.default_language):
        return _("This file could not be processed: please send it again.")


def media_process(*, media_id: int, job_id: str = "") -> str:
    """Decode and render an idea's upload; called by `tasks.media_process`.

    Idempotent: the media is claimed with a conditional UPDATE (a second run,
    or a run on another worker, finds it claimed or done and returns). The
    claim records `job_id` (the Celery task id, which a message delivered again
    keeps): when the worker running the job dies, Celery delivers it again and
    that run takes the claim over at once, while any other job skips. (The
    broker only delivers an unacknowledged message again once its worker is
    gone, or after a visibility timeout far longer than the hard time limit.)
    The heavy work runs outside any transaction, in a temporary folder of its
    own; the result is written only if the media is still the one claimed (not
    replaced or deleted meanwhile). Returns "ready", "failed" or "skipped"."""
    now = timezone.now()
    if not _claim(media_id=media_id, job_id=job_id, now=now):
        return "skipped"
    row = Media.objects.select_related("idea", "idea__campaign", "tenant").get(pk=media_id)
    campaign = row.idea.campaign
    if row.attempts > MAX_ATTEMPTS:
        logger.warning(
            "media %s given up: %s runs did not finish (tenant %s)",
            row.public_id, row.attempts - 1, row.tenant.slug,
        )  # fmt: skip
        return _media_failed(row, _give_up_reason(row.tenant), claimed_at=now)
    try:
        with media.workdir(str(row.public_id)) as workdir:
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


# --- Stuck jobs (the sweep) -----------------------------------------------------------------


def _stuck(now) -> Q:
    unclaimed = now - dt.timedelta(seconds=UNCLAIMED_SECONDS)
    return (
        Q(status=Media.Status.PROCESSING)
        & (
            Q(claimed_at__lt=now - dt.timedelta(seconds=CLAIM_SECONDS))
            | Q(claimed_at__isnull=True, created_at__lt=unclaimed)
        )
        & (Q(requeued_at__isnull=True) | Q(requeued_at__lt=unclaimed))
    )


def media_stuck(*, now) -> list[tuple[int, int]]:
    """(tenant id, media id) of every media whose job is lost: its run died
    and its message is gone (a claim gone stale), or it was never claimed."""
    with scopes_disabled():  # reviewed: the sweep looks across tenants; each task scopes itself
        return list(
            Media.objects.filter(_stuck(now))
            .order_by("created_at")
            .values_list("tenant_id", "pk")[:1000]
        )


def media_recover(*, media_id: int) -> str:
    """A stuck media's job is queued again, or, once MAX_ATTEMPTS runs have
    claimed it, the upload is given up and the author told. Idempotent: a media
    re-queued (or no longer stuck) is left alone. Returns "requeued", "failed"
    or "skipped"."""
    from ideas import tasks

    now = timezone.now()
    with transaction.atomic():
        row = (
            Media.objects.select_for_update()
            .select_related("tenant")
            .filter(_stuck(now), pk=media_id)
            .first()
        )
        if row is None:
            return "skipped"
        if row.attempts >= MAX_ATTEMPTS:
            logger.warning(
                "media %s given up: %s runs did not finish (tenant %s)",
                row.public_id, row.attempts, row.tenant.slug,
            )  # fmt: skip
            return _media_failed(row, _give_up_reason(row.tenant), claimed_at=row.claimed_at)
        row.requeued_at = now
        row.save(update_fields=["requeued_at"])
        logger.warning(
            "media %s re-queued: its job was lost (claimed %s, %s runs so far, tenant %s)",
            row.public_id, row.claimed_at, row.attempts, row.tenant.slug,
        )  # fmt: skip
        transaction.on_commit(
            partial(tasks.media_process.delay, tenant_id=row.tenant_id, media_id=row.pk)
        )
    return "requeued"
