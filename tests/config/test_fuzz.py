"""Bad input never gets a 500: a fuzz test over every page, form and endpoint.

Routes come from the URL resolver (config.urls) and the API's methods and
parameters from its OpenAPI schema; the forms are found by reading the pages
themselves. A new page, form or endpoint is covered without touching this file
(a new kind of object in a path may need a line in OBJECT_BY_SEGMENT, or it is
called with an unknown id: a 404, still fuzzed up to the view).

Each persona (a signed-out visitor, a participant, the brand's owner) sends to
every route, first, a NUL byte in every query parameter, form field and free-text
path part, and JSON nested 1,000 levels deep to every method that takes a body;
then what hypothesis draws: NUL bytes among odd, huge and ordinary text, and
JSON malformed, oversized, nested far too deep, wrong-typed or full of such
text. Anything but a 500 passes: what matters here is that bad input gets an
answer; each view's own tests say which answer.

Bounded: one derandomised example, no shrinking (every failure is listed at
once). Every request runs in a savepoint rolled back afterwards, and the
client's cookies are put back, so each one meets the same world: a fuzzed
"delete my account" or "sign out" does not hide the routes after it.
"""

import copy
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import cycle, product
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scope
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts import services as account_services
from accounts.models import Invitation, Membership, ParticipantProfile
from campaigns import forms as campaign_forms
from campaigns import round_cycle
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import services as idea_services
from ideas.models import Coauthor
from juries import services as jury_services
from juries.models import Assignment, JuryMember
from notifications.models import Notification
from rewards.models import Award, Payout
from tests.campaigns.conftest import this_monday
from tests.conftest import host_of
from tests.rewards.conftest import judge, round_of
from voting import services as voting_services

pytestmark = pytest.mark.django_db

# Drawn examples per persona, each sent to every route (after the fixed cases).
EXAMPLES = 1

# --- The routes -------------------------------------------------------------------------


@dataclass
class Route:
    pattern: str  # as written in the URLconf, prefixes included
    name: str
    paths: list[str] = field(default_factory=list)

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/v1/")

    def fuzzed_paths(self, value: str, world: dict) -> list[str]:
        """The path with `value` in its free-text parts (tokens, host names…)."""
        if not _FREE_TEXT.search(self.pattern):
            return []
        return fill(self.pattern, world, free_text=quote(value[:200], safe=""))[:1]


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield Route(pattern=prefix + str(entry.pattern), name=namespace + (entry.name or ""))


def all_routes() -> list[Route]:
    routes = _walk(get_resolver("config.urls").url_patterns)
    # Uploaded files are served by this URLconf under `make run` only.
    return [r for r in routes if not r.pattern.startswith(("media/", "^media/"))]


# The segment before a <uuid:…> in a path → the world's object of that kind
# (two segments first: "team/invitations" is not a challenge's invitation).
OBJECT_BY_SEGMENT = {
    "team/invitations": "team_invitation",
    "ideas": "idea",
    "comments": "comment",
    "rounds": "round",
    "rankings": "round",
    "team": "membership",
    "people": "person",
    "payouts": "payout",
    "awards": "award",
    "assignments": "assignment",
    "notifications": "notification",
    "batches": "batch",
    "payout-batches": "batch",
    "invitations": "challenge_invitation",
}
_FREE_TEXT = re.compile(r"<(?:str:)?\w+>|\(\?P<key>")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fill(pattern: str, world: dict, free_text: str | None = None) -> list[str]:
    """Every concrete path for a URL pattern, with the world's real objects."""
    pattern = pattern.replace("^", "").replace("$", "")
    pieces, choices = [], []
    position = 0
    for match in _CONVERTER.finditer(pattern):
        pieces.append(pattern[position : match.start()])
        converter, name = match.group(1) or "str", match.group(2) or match.group(3)
        before = [s for s in pattern[: match.start()].split("/") if s and "<" not in s]
        if free_text is not None and ((converter == "str" and match.group(2)) or name == "key"):
            choices.append([free_text])
        else:
            choices.append(_values_for(converter, name, before, world))
        position = match.end()
    tail = pattern[position:]
    paths = []
    for combination in product(*choices):
        text = "".join(piece + str(value) for piece, value in zip(pieces, combination, strict=True))
        paths.append("/" + text + tail)
    return paths


def _values_for(converter: str, name: str, before: list[str], world: dict) -> list:
    if converter == "uuid":
        for key in ("/".join(before[-2:]), before[-1] if before else ""):
            if key in OBJECT_BY_SEGMENT:
                found = world.get(OBJECT_BY_SEGMENT[key])
                return [found.public_id if found is not None else uuid.uuid4()]
        return [uuid.uuid4()]
    if name == "slug":
        return [world["campaign"].slug]
    if name in ("provider", "provider_id"):
        return ["google"]
    if name == "step":
        return [form.step for form in campaign_forms.STEPS]
    if name == "hostname":
        return [world["host"]]
    if name == "event":
        return ["idea.approved"]
    if name == "token" and "join" in before:
        return [world["coauthor_token"]]
    if converter == "int":
        return [1]
    return ["x1"]


# --- The world they are called on ------------------------------------------------------------


def build_world(*, ing, owner, participant, make_user) -> dict:
    """One challenge with round 1 announced (an award and a payout for the
    participant), a second one in review with the owner as its juror, ideas,
    a comment, votes, invitations and a notification."""
    other = make_user("sam@example.com", display_name="Sam")
    with scope(tenant=ing):
        for person in (participant, other):
            account_services.consent_accept(
                tenant=ing, user=person, version=1, display_name=person.display_name
            )

        def challenge(title, slug):
            values = genios_del_ahorro(this_monday()) | {"title": title, "slug": slug}
            campaign = campaign_services.campaign_create(tenant=ing, actor=owner, **values)
            campaign = campaign_services.campaign_publish(campaign=campaign, actor=owner)
            campaign_services.campaign_advance(campaign=campaign)
            jury_services.jury_member_add(
                campaign=campaign, user=owner, actor=owner, role=JuryMember.Role.CHAIR
            )
            ideas = [
                idea_services.idea_submit(
                    campaign=campaign, author=author, title=f"{title}: {author.display_name}",
                    body="Cada compra se redondea al euro y la diferencia se ahorra.",
                )
                for author in (participant, other)
            ]  # fmt: skip
            voting_services.vote_cast(idea=ideas[0], voter=other)
            return campaign, ideas

        campaign, (idea, other_idea) = challenge("Genios del Ahorro", "genios")
        reviewed, _ideas = challenge("Ahorro en casa", "en-casa")
        comment = idea_services.comment_post(idea=other_idea, author=participant, body="¡Bien!")
        coauthor = idea_services.coauthor_invite(idea=idea, actor=participant)
        team_invitation = account_services.invitation_create(
            tenant=ing, email="new@ing.example", role=Membership.Role.JUROR, actor=owner
        )
    # Round 1 of the first challenge announced: the participant won.
    first = round_of(campaign)
    now = first.voting_ends_at + dt.timedelta(minutes=1)
    with scope(tenant=ing):
        round_cycle.round_advance(round=first, now=now)
    judge(first, idea, chair=owner, jurors=[owner], now=now)
    with scope(tenant=ing):
        round_cycle.round_advance(round=first, now=now)
    # Round 1 of the second challenge in review: the owner has scores to give.
    second = round_of(reviewed)
    with scope(tenant=ing):
        round_cycle.round_advance(round=second, now=second.voting_ends_at + dt.timedelta(minutes=1))
        return {
            "host": host_of(ing),
            "campaign": campaign,
            "idea": idea,
            "comment": comment,
            "round": second,
            "coauthor_token": Coauthor.objects.get(pk=coauthor.pk).token,
            "team_invitation": Invitation.objects.filter(pk=team_invitation.pk).first(),
            "membership": Membership.objects.filter(tenant=ing, user=owner).first(),
            "person": ParticipantProfile.objects.filter(tenant=ing, user=participant).first(),
            "award": Award.objects.filter(tenant=ing).first(),
            "payout": Payout.objects.filter(tenant=ing).first(),
            "assignment": Assignment.objects.filter(round=second, juror=owner).first(),
            "notification": Notification.objects.filter(tenant=ing, recipient=participant).first(),
        }


# --- What each page's forms send ----------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: action → the names of their fields."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: dict[str, set[str]] = {}
        self._current: set[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            action = (attrs.get("action") or self.page_path).split("#")[0]
            if action.startswith("/"):
                self._current = self.forms.setdefault(action, set())
        elif tag in ("input", "textarea", "select", "button") and self._current is not None:
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._current.add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_of(path: str, html: str) -> dict[str, set[str]]:
    parser = _Forms(path)
    parser.feed(html)
    return parser.forms


# Names tried on every route besides the ones a form or the schema gives.
COMMON_PARAMS = ["q", "network", "campaign", "status", "cursor", "page", "page_size",
                 "sort", "next", "scope", "idea", "round", "tag", "kind", "title", "was",
                 "token"]  # fmt: skip
COMMON_FIELDS = ["body", "title", "display_name", "reason", "note", "email", "action",
                 "next", "role", "parent", "follow", "accept", "version", "language"]  # fmt: skip


# --- The bad input ---------------------------------------------------------------------


def _deep(levels: int, kind: str) -> str:
    if kind == "list":
        return "[" * levels + "]" * levels
    return '{"a":' * levels + "1" + "}" * levels


NUL = "a\x00b"
DEEP = _deep(1000, "list")
HUGE_TEXT = "x" * 20_000
HUGE_JSON = json.dumps({"x": "y" * 3_000_000})  # over DATA_UPLOAD_MAX_MEMORY_SIZE

texts = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30).map(lambda s: f"{s}\x00{s}"),
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(["\x00", "%00", "\x00" * 300, HUGE_TEXT, "é" * 5_000, "-1", "1e309",
                     "NaN", "9" * 40, "[]", "{}", "../../etc/passwd", "' OR 1=1 --",
                     "<script>alert(1)</script>", "\u202etxt.exe", "\ufeff", "🙂" * 200, ""]),
)  # fmt: skip
json_bodies = st.one_of(
    # Deeper than 1,000: hypothesis gives the code it runs a deeper stack.
    st.sampled_from([_deep(1000, "dict"), _deep(100_000, "list"), HUGE_JSON]),
    st.sampled_from(["{not json", '{"a": "\\ud800"}', "[1, 2,", "\x00", "null", "7", '"x"',
                     "[]", '{"a": NaN}', '{"a": 1e999}']),
    st.builds(lambda value: json.dumps(dict.fromkeys(COMMON_FIELDS, value)), texts),
)  # fmt: skip


@dataclass
class Fuzz:
    client: Client
    routes: list[Route]
    schema: dict
    forms: dict[str, set[str]]
    world: dict
    failures: list[str] = field(default_factory=list)

    def send(self, method: str, path: str, what: str, **kwargs) -> None:
        """One request in a savepoint rolled back afterwards; a 500 is noted."""
        cookies = copy.deepcopy(self.client.cookies)  # a fuzzed sign-out must not last
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(path, **kwargs)
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - every failure is reported together
            self.failures.append(f"{method.upper()} {path} [{what}]: {type(exc).__name__}: {exc}")
            return
        finally:
            self.client.cookies = cookies
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path} [{what}]: {response.status_code}")

    def operations(self, route: Route) -> dict:
        key = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.pattern)
        return self.schema.get("paths", {}).get(key, {})

    def post_form(self, path: str, fields, value: str, encoding: str) -> None:
        data = dict.fromkeys(fields, value)
        if encoding == "urlencoded":
            body = urlencode(data)
            self.send("post", path, "form", data=body, content_type=FORM_ENCODED)
        else:
            self.send("post", path, "form", data=data)

    def run(self, *, values: list, bodies: list, json_to_pages: bool = False) -> None:
        """Every route once: the next of `values` in its query string (GET), in
        every field of a form (POST, urlencoded and multipart by turns) and in
        its path's free-text parts; the next of `bodies` as JSON to every API
        method that takes one (and to every page when `json_to_pages`)."""
        values, bodies, encodings = cycle(values), cycle(bodies), cycle(ENCODINGS)
        for route in self.routes:
            operations = self.operations(route)
            params = set(COMMON_PARAMS) | {
                p["name"]
                for operation in operations.values()
                if isinstance(operation, dict)
                for p in operation.get("parameters", [])
                if p.get("in") == "query"
            }
            value = next(values)
            for path in route.paths + route.fuzzed_paths(value, self.world):
                if not route.is_api or "get" in operations:
                    self.send("get", path, "query", data=dict.fromkeys(params, value))
                if not route.is_api:
                    fields = set(COMMON_FIELDS) | self.forms.get(path, set())
                    self.post_form(path, fields, value, next(encodings))
                    if json_to_pages:
                        self.send("post", path, "json", data=next(bodies), content_type=JSON)
                for method in ("post", "put", "patch", "delete"):
                    if method in operations:
                        self.send(method, path, "json", data=next(bodies), content_type=JSON)
        # Forms whose action is no route's plain path (a query string in it…).
        plain = {path for route in self.routes for path in route.paths}
        for action, fields in self.forms.items():
            if action not in plain:
                self.post_form(action, fields, next(values), next(encodings))


JSON = "application/json"
FORM_ENCODED = "application/x-www-form-urlencoded"
ENCODINGS = ("urlencoded", "multipart")


@pytest.fixture
def world(ing, owner, participant, make_user):
    return build_world(ing=ing, owner=owner, participant=participant, make_user=make_user)


@pytest.mark.parametrize("persona", ["visitor", "participant", "owner"])
def test_no_bad_input_gets_a_500(persona, world, owner, participant):
    user = {"visitor": None, "participant": participant, "owner": owner}[persona]
    client = Client(HTTP_HOST=world["host"])
    if user is not None:
        client.force_login(user)
    routes = all_routes()
    for route in routes:
        route.paths = fill(route.pattern, world)
    schema = client.get("/api/schema/", HTTP_ACCEPT=JSON).json()
    # Every page read once as this persona: its forms are fuzzed too.
    forms: dict[str, set[str]] = {}
    for route in routes:
        for path in [] if route.is_api else route.paths:
            response = client.get(path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                for action, names in forms_of(path, response.content.decode()).items():
                    forms.setdefault(action, set()).update(names)
    fuzz = Fuzz(client=client, routes=routes, schema=schema, forms=forms, world=world)

    # The cases that were 500s: a NUL byte everywhere, JSON 1,000 levels deep.
    fuzz.run(values=[NUL], bodies=[DEEP], json_to_pages=True)

    # Then what hypothesis draws, huge text and bodies among it, spread over the routes.
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: every failure is listed below
        suppress_health_check=list(HealthCheck),
    )
    @given(
        values=st.lists(texts, min_size=12, max_size=12),
        bodies=st.lists(json_bodies, min_size=8, max_size=8),
    )
    def drawn(values, bodies):
        fuzz.run(values=[HUGE_TEXT, *values], bodies=[HUGE_JSON, "{not json", *bodies])

    drawn()
    assert fuzz.failures == [], "\n".join(sorted(set(fuzz.failures)))
