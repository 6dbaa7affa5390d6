"""The ideas' Celery tasks: each takes ids and calls one service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.tasks import tenant_task

logger = logging.getLogger(__name__)

# Transcoding a two-minute video takes well under a minute on one core; the
# limits stop a pathological file from holding a worker. ffmpeg itself is
# stopped earlier (IDEAS_VIDEO_TRANSCODE_SECONDS) with a clear message.
MEDIA_SOFT_LIMIT = getattr(settings, "IDEAS_MEDIA_SOFT_TIME_LIMIT", 300)
MEDIA_HARD_LIMIT = MEDIA_SOFT_LIMIT + 60


@tenant_task(
    bind=True,
    soft_time_limit=MEDIA_SOFT_LIMIT,
    time_limit=MEDIA_HARD_LIMIT,
    max_retries=3,
    acks_late=True,
)
def media_process(self, *, tenant_id: int, media_id: int):
    """Render an idea's image, or transcode its video; see services.media_process."""
    from django_scopes import get_scope

    from ideas import services

    try:
        # The task id (kept when Celery delivers the message again after its
        # worker died, and by self.retry) lets this run take over its own claim.
        return services.media_process(media_id=media_id, job_id=self.request.id or "")
    except SoftTimeLimitExceeded:
        with override(get_scope()["tenant"].default_language):
            reason = _("Processing this file took too long: try a shorter or smaller one.")
        return services.media_give_up(media_id=media_id, reason=reason)
    except OSError as exc:  # storage unreachable for a moment: try again, a few times
        if self.request.retries >= self.max_retries:
            logger.exception("media %s: giving up after retries", media_id)
            with override(get_scope()["tenant"].default_language):
                reason = _("This file could not be processed: please send it again.")
            return services.media_give_up(media_id=media_id, reason=reason)
        raise self.retry(exc=exc, countdown=30 * (self.request.retries + 1)) from exc


@tenant_task
def media_recover(*, tenant_id: int, media_id: int) -> str:
    """A stuck media: queued again, or given up (see services.media_recover)."""
    from ideas import services

    return services.media_recover(media_id=media_id)


@shared_task
def media_sweep() -> int:
    """Beat entry: every media whose job was lost is recovered in its tenant's
    scope; temporary folders left by killed jobs on this machine are removed
    (routed to the media queue, so it runs where the transcodes ran)."""
    from django.utils import timezone

    from ideas import media, services

    stuck = services.media_stuck(now=timezone.now())
    for tenant_id, media_id in stuck:
        media_recover.delay(tenant_id=tenant_id, media_id=media_id)
    removed = media.workdirs_remove_older_than(MEDIA_HARD_LIMIT)
    if removed:
        logger.warning("media sweep: removed %s temporary folders of killed jobs", removed)
    return len(stuck)


@tenant_task
def trending_refresh(*, tenant_id: int):
    from django_scopes import get_scope

    from ideas import services

    return services.trending_refresh(tenant=get_scope()["tenant"])


@tenant_task
def search_reindex(*, tenant_id: int):
    """Rebuild every idea's search vector (queued when the brand's language changes)."""
    from django_scopes import get_scope

    from ideas import services

    return services.search_reindex(tenant=get_scope()["tenant"])


@tenant_task(acks_late=True)
def idea_embed(*, tenant_id: int, idea_id: int):
    """Embed an idea's title and text (on the default `celery` queue: a
    sentence takes milliseconds, the model loads once per worker)."""
    from ideas import services

    return services.embedding_refresh(idea_id=idea_id)


@shared_task
def trending_refresh_all():
    """Beat entry: one trending refresh per active tenant."""
    from tenants.models import Tenant

    tenant_ids = list(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE).values_list("pk", flat=True)
    )
    for tenant_id in tenant_ids:
        trending_refresh.delay(tenant_id=tenant_id)
    return len(tenant_ids)
