"""How the apps above this one (voting, juries, rewards) plug into ideas
without ideas importing them. Filled from their `AppConfig.ready()`.

Merging a duplicate — votes live in the voting app, so it moves them:

    from ideas.extensions import register_merge_handler
    register_merge_handler(votes_merge)

  `votes_merge(*, duplicate, into)` runs inside `idea_merge`'s transaction,
  after both idea rows are locked (`select_for_update`), before the duplicate
  is marked merged. It must move the duplicate's votes to `into` without
  counting any person twice (a person who voted for both keeps one vote) and
  set `into.vote_count` / `into.round_vote_count` (then save them with
  `update_fields`). Raising a DomainError cancels the merge.

Page sections — templates included in named slots of the idea pages:

    from ideas.extensions import register_section
    register_section("card_actions", "voting/vote_button.html")

  Slots: "card_actions" (under each card of the gallery; gets `idea`,
  `campaign`, `request`), "detail_actions" (next to the share links of an
  idea's page; gets the page's context). Templates in a list slot must not
  run queries per idea: voting prefetches through `register_gallery_annotator`.

Gallery annotators — one call per gallery page with the list of ideas shown
(e.g. "has this person voted for them"): `annotator(request, ideas)` sets
attributes on the ideas in one query whatever the page size.

    from ideas.extensions import register_gallery_annotator
"""

from collections.abc import Callable

from core.extensions import TemplateSlots

SLOTS = ("card_actions", "detail_actions")

_merge_handlers: list[Callable] = []
_sections = TemplateSlots(*SLOTS)
_annotators: list[Callable] = []


def register_merge_handler(handler: Callable) -> None:
    if handler not in _merge_handlers:
        _merge_handlers.append(handler)


def unregister_merge_handler(handler: Callable) -> None:
    if handler in _merge_handlers:
        _merge_handlers.remove(handler)


def merge_handlers() -> list[Callable]:
    return list(_merge_handlers)


register_section = _sections.register
unregister_section = _sections.unregister
sections = _sections.templates


def register_gallery_annotator(annotator: Callable) -> None:
    if annotator not in _annotators:
        _annotators.append(annotator)


def unregister_gallery_annotator(annotator: Callable) -> None:
    if annotator in _annotators:
        _annotators.remove(annotator)


def annotate_gallery(request, ideas: list) -> None:
    for annotator in _annotators:
        annotator(request, ideas)
