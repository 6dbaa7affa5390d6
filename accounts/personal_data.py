"""People's own data: one registry of what each app holds about a person.

Every app that stores something about a person registers a section here (in its
AppConfig.ready()), with an exporter and an eraser:

    from accounts import personal_data

    personal_data.register(
        "ideas",
        export=ideas_export,   # (*, user, tenant) -> JSON-serialisable
        erase=ideas_erase,     # (*, user, tenant, mode) -> None
        order=40,
    )

The contract:
- A tenant section (`per_tenant=True`, the default) is called once per tenant
  the person took part in, inside that tenant's scope, with `tenant` set. A
  platform section (`per_tenant=False`) is called once with `tenant=None`.
- `export` returns only what the person gave or what was decided about them,
  never other people's personal data.
- `erase` runs inside the caller's transaction. `mode` is ANONYMISE (keep the
  content, cut every link to the person: author → none, name → "Former
  participant") or REMOVE (delete the content). Votes are withdrawn and counts
  corrected whatever the mode; money already paid stays in the books, without
  personal data. After `erase`, no row of the section may reference the user:
  the account row is deleted next.
- Erasers run from the highest `order` to the lowest (rewards before ideas
  before accounts), exporters from the lowest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ANONYMISE = "anonymise"
REMOVE = "remove"
MODES = (ANONYMISE, REMOVE)


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[..., Any]
    erase: Callable[..., None]
    order: int = 100
    per_tenant: bool = True


_sections: dict[str, Section] = {}


def register(
    name: str,
    *,
    export: Callable[..., Any],
    erase: Callable[..., None],
    order: int = 100,
    per_tenant: bool = True,
) -> Section:
    """Add (or replace, when reloading) the section called `name`."""
    section = Section(name=name, export=export, erase=erase, order=order, per_tenant=per_tenant)
    _sections[name] = section
    return section


def unregister(name: str) -> None:
    _sections.pop(name, None)


def sections(*, per_tenant: bool) -> list[Section]:
    """Registered sections of one kind, in export order."""
    return sorted(
        (s for s in _sections.values() if s.per_tenant is per_tenant),
        key=lambda s: (s.order, s.name),
    )
