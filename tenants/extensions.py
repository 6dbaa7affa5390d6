"""How the apps above this one react to a change of a brand's settings
without this app importing them.

    from tenants.extensions import on_settings_changed
    on_settings_changed(reindex_when_the_language_changes)

The listener is called as `listener(tenant=…, fields=[…])` inside the
transaction of `tenants.services.tenant_update`, with the names of the fields
that changed; work for later goes through `transaction.on_commit`, so nothing
is queued for a change that is rolled back.
"""

from collections.abc import Callable

_listeners: list[Callable] = []


def on_settings_changed(listener: Callable) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def settings_changed(*, tenant, fields: list[str]) -> None:
    for listener in _listeners:
        listener(tenant=tenant, fields=list(fields))
