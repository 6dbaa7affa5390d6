"""The base of every task that works on one tenant's data.

    @tenant_task
    def idea_render_media(*, tenant_id: int, idea_id: int): ...

    idea_render_media.delay(tenant_id=idea.tenant_id, idea_id=idea.pk)

The task re-enters `scope(tenant=…)` of the tenant it was given before running,
so the same scoping rules hold in workers as in requests. A task for a tenant
that no longer exists does nothing.
"""

import logging

from celery import Task, shared_task
from django.apps import apps
from django.conf import settings
from django_scopes import scope

from core.observability import bind

logger = logging.getLogger(__name__)


class TenantTask(Task):
    abstract = True

    def __call__(self, *args, **kwargs):
        tenant_id = kwargs.get("tenant_id")
        if tenant_id is None:
            raise TypeError(f"{self.name} must be called with tenant_id=…")
        # The tenant model by name (settings.TENANT_MODEL), as auth does with its
        # user model: the ground floor imports no app.
        tenant_model = apps.get_model(settings.TENANT_MODEL)
        tenant = tenant_model.objects.filter(pk=tenant_id).first()
        if tenant is None:
            logger.warning("%s: tenant %s is gone; nothing to do", self.name, tenant_id)
            return None
        bind(tenant=tenant.slug)  # on every line the task logs
        with scope(tenant=tenant):
            return super().__call__(*args, **kwargs)


def tenant_task(func=None, **options):
    """`shared_task` whose body runs inside the scope of `tenant_id`."""
    options.setdefault("base", TenantTask)
    if func is None:
        return lambda f: shared_task(f, **options)
    return shared_task(func, **options)
