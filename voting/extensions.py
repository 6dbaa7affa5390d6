"""How the apps above voting (juries, rewards) tell it what it cannot know
without importing them. Filled from their `AppConfig.ready()`.

Awarded ideas — which ideas of a challenge already won a prize. Rounds that
cover "every idea not awarded yet" leave them out, and so does the grand round
when the challenge says round winners may not also win the grand prize:

    from voting.extensions import register_awarded_ideas
    register_awarded_ideas(awarded_idea_ids)

  `awarded_idea_ids(campaign) -> set[int]` returns idea primary keys, in one
  query. With nothing registered, no idea counts as awarded.
"""

from collections.abc import Callable

_awarded: list[Callable] = []


def register_awarded_ideas(provider: Callable) -> None:
    if provider not in _awarded:
        _awarded.append(provider)


def unregister_awarded_ideas(provider: Callable) -> None:
    if provider in _awarded:
        _awarded.remove(provider)


def awarded_ideas(campaign) -> set[int]:
    awarded: set[int] = set()
    for provider in _awarded:
        awarded |= set(provider(campaign))
    return awarded
