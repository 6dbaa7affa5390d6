"""How the apps above this one add to the challenge pages without this app
importing them (ideas, voting, juries and rewards sit higher in the layers).

Two small registries, filled from the higher apps' `AppConfig.ready()`:

Page sections — a template included in a named slot of the public pages:

    from campaigns.extensions import register_section
    register_section("winners", "rewards/challenge_winners.html")

  Slots: "ideas" (the gallery on the challenge page), "winners" (winners so far,
  on the challenge page and on each past challenge of the home page),
  "call_to_action" (replaces the "Take part" button of an open challenge). The template gets
  `campaign`, `request`, `allowed` (lifecycle.Allowed) and the page's context.
  A slot with nothing registered shows the page's own fallback.

Console numbers — one figure per challenge in the console's list:

    from campaigns.extensions import register_console_number
    register_console_number("ideas", _("Ideas"), ideas_count_by_campaign)

  The function takes the list of challenges shown and returns
  {campaign.pk: number}, in one query whatever the list's length (the list
  page asserts its query count).

Readiness checks — what a draft still lacks without blocking its publication
(the jurors not seated yet, say), listed on the console's review step:

    from campaigns.extensions import register_readiness_check
    register_readiness_check("jury", jury_readiness)

  The function takes a challenge and returns a list of `ReadinessWarning`s (empty when
  nothing is missing). The review says "everything is ready" only when no
  check returns one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.extensions import TemplateSlots

SLOTS = ("ideas", "winners", "call_to_action")

_sections = TemplateSlots(*SLOTS)


@dataclass(frozen=True)
class ConsoleNumber:
    key: str
    label: str
    counts: Callable[[list], dict[int, int]]


_console_numbers: dict[str, ConsoleNumber] = {}


@dataclass(frozen=True)
class ReadinessWarning:
    message: str
    url: str = ""  # where to fix it, if anywhere


_readiness_checks: dict[str, Callable[[object], list[ReadinessWarning]]] = {}


register_section = _sections.register
unregister_section = _sections.unregister
sections = _sections.templates


def register_console_number(key: str, label, counts: Callable[[list], dict[int, int]]) -> None:
    _console_numbers[key] = ConsoleNumber(key, label, counts)


def unregister_console_number(key: str) -> None:
    _console_numbers.pop(key, None)


def console_numbers() -> list[ConsoleNumber]:
    return list(_console_numbers.values())


def register_readiness_check(key: str, check: Callable[[object], list[ReadinessWarning]]) -> None:
    _readiness_checks[key] = check


def unregister_readiness_check(key: str) -> None:
    _readiness_checks.pop(key, None)


def readiness_warnings(campaign) -> list[ReadinessWarning]:
    return [warning for check in _readiness_checks.values() for warning in check(campaign)]
