"""An idea's image or video file: stored, replaced, dropped; files removed only
once the transaction that stopped using them has committed."""

from __future__ import annotations

import contextlib
from functools import partial

from django.core.files.base import File
from django.db import transaction

from ideas import media, tasks
from ideas.models import Idea, Media
from ideas.services.common import _delete_files_on_commit, _delete_quietly


def _store_upload(media_row: Media, upload, detected_format: str) -> None:
    """Save the upload under a name we choose (never the one sent)."""
    name = f"upload.{media.extension_for(detected_format)}"
    upload.seek(0)
    media_row.upload.save(name, File(upload), save=False)


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


def _media_of(idea: Idea) -> Media | None:
    try:
        return idea.media
    except Media.DoesNotExist:
        return None


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
