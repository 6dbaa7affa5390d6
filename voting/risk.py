"""Rate limits and the risk score of a vote, from counters in Redis.

Every vote costs one Redis round trip (a pipeline of a fixed number of
commands) and no SQL here, so honest votes are never slowed by the checks,
whatever the traffic. Plain Redis counters rather than django-ratelimit: the
score needs a dozen counters per vote anyway (network, browser, fresh
accounts, per idea), and one pipeline serves the limits and the score together.

Rate limits (a vote over them is refused with 429, nothing is written):
    one person   VOTING_RATE_LIMITS["person_per_minute"], ["person_per_hour"]
    one address  VOTING_RATE_LIMITS["ip_per_minute"] (offices and mobile
                 networks share addresses: it is generous)

The risk score adds the points of the signals that fire (capped at 100); a
vote at QUARANTINE_AT or more is quarantined: kept, not counted until a
moderator accepts it. Each signal is written to the vote's evidence with its
figures, so a moderator sees why:

    fresh_account      the account is less than an hour old (15) / a day old (8)
    disposable_email   the e-mail address is at a throwaway domain (35)
    no_user_agent      the request carried no browser signature (10)
    network_on_idea    votes for this idea from the same network (/24 or /48)
                       in the last WINDOW: ≥5 (15), ≥15 (30), ≥50 (40)
    agent_on_idea      votes for this idea with the same browser signature in
                       the last WINDOW: ≥20 and ≥80 % of the idea's votes (15)
    fresh_burst        votes for this idea from fresh accounts in the last
                       WINDOW: ≥20 and ≥80 % of the idea's votes (20)

No signal alone quarantines an established account: it takes a combination
(fresh accounts concentrated on one network, or on one browser signature, or a
throwaway address from a fresh account). Windows are sliding: the current and
the previous WINDOW-long bucket, the previous one weighted by how much of it
is still inside the window.

When a vote is quarantined because of a concentration (network, browser or
fresh burst), the votes of the same kind counted earlier in the window for the
same idea are quarantined with it (services: the sweep), once per burst.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import email_domain, is_disposable_email

# The Redis client, the network of an address and the 429 error are the ones
# every rate limit shares (core.ratelimit); the names stay importable here.
from core.ratelimit import RateLimited, client, network_of, take_back

WINDOW = 600  # seconds
QUARANTINE_AT = 50
FRESH_HOUR = dt.timedelta(hours=1)
FRESH_DAY = dt.timedelta(days=1)
# Concentration tiers for the network signal: (votes in the window, points).
NETWORK_TIERS = ((50, 40), (15, 30), (5, 15))
AGENT_MIN, AGENT_SHARE, AGENT_POINTS = 20, 0.8, 15
FRESH_BURST_MIN, FRESH_BURST_SHARE, FRESH_BURST_POINTS = 20, 0.8, 20
DEFAULT_RATE_LIMITS = {"person_per_minute": 30, "person_per_hour": 300, "ip_per_minute": 120}

# What each signal means, for the review page.
SIGNALS = {
    "fresh_account": gettext_lazy("New account"),
    "disposable_email": gettext_lazy("Throwaway e-mail address"),
    "no_user_agent": gettext_lazy("No browser signature"),
    "network_on_idea": gettext_lazy("Many votes for this idea from one network"),
    "agent_on_idea": gettext_lazy("Many votes for this idea from one browser signature"),
    "fresh_burst": gettext_lazy("Burst of new accounts on this idea"),
    "swept": gettext_lazy("Part of a burst found later"),
}
# The signals that describe a group rather than one person: they trigger the sweep.
CONCENTRATIONS = ("network_on_idea", "agent_on_idea", "fresh_burst")


def rate_limits() -> dict[str, int]:
    return {**DEFAULT_RATE_LIMITS, **getattr(settings, "VOTING_RATE_LIMITS", {})}


def agent_hash(user_agent: str | None) -> str:
    text = (user_agent or "").strip()
    if not text:
        return ""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


@dataclass
class Assessment:
    score: int
    signals: list[dict]
    network: str
    agent: str
    fresh: bool
    account_age_minutes: int
    email_domain: str
    counts: dict = field(default_factory=dict)
    # Redis keys this vote added to, taken back if the vote is not written.
    added_keys: list[str] = field(default_factory=list)
    sweep_key: str = ""

    @property
    def quarantine(self) -> bool:
        return self.score >= QUARANTINE_AT

    @property
    def concentrations(self) -> list[str]:
        return [s["code"] for s in self.signals if s["code"] in CONCENTRATIONS]

    def evidence(self) -> dict:
        return {
            "signals": self.signals,
            "account_age_minutes": self.account_age_minutes,
            "email_domain": self.email_domain,
            "counts": self.counts,
        }


def _bucket_keys(base: str, now: dt.datetime) -> tuple[str, str, float]:
    seconds = now.timestamp()
    bucket = int(seconds // WINDOW)
    weight = 1.0 - (seconds % WINDOW) / WINDOW
    return f"{base}:{bucket}", f"{base}:{bucket - 1}", weight


# One signal after another, each adding to the score: flat on purpose, so the
# whole anti-fraud rule reads in one place.
def assess(  # noqa: C901
    *,
    tenant_id: int,
    idea_id: int,
    voter,
    ip: str | None,
    user_agent: str | None,
    now: dt.datetime,
) -> Assessment:
    """Check the rate limits and score one vote (one Redis round trip).

    Raises RateLimited (nothing counted) when the person or the address votes
    too fast. Otherwise the vote's counters are added to: call `take_back`
    if the vote is not written after all (already voted, no votes left)."""
    network = network_of(ip)
    agent = agent_hash(user_agent)
    age = now - voter.date_joined
    fresh = age < FRESH_DAY
    domain = email_domain(voter.email or "")

    prefix = f"ruche:voting:{tenant_id}"
    minute = int(now.timestamp() // 60)
    hour = int(now.timestamp() // 3600)
    minute_left = 60 - int(now.timestamp() % 60)
    hour_left = 3600 - int(now.timestamp() % 3600)
    limits = [
        (f"{prefix}:rate:person:{voter.pk}:m:{minute}", 120, rate_limits()["person_per_minute"],
         minute_left),
        (f"{prefix}:rate:person:{voter.pk}:h:{hour}", 7200, rate_limits()["person_per_hour"],
         hour_left),
    ]  # fmt: skip
    if ip:
        limits.append(
            (f"{prefix}:rate:ip:{ip}:m:{minute}", 120, rate_limits()["ip_per_minute"], minute_left)
        )

    counters = {"idea": f"{prefix}:idea:{idea_id}"}
    if network:
        counters["network"] = f"{prefix}:idea:{idea_id}:net:{network}"
    if agent:
        counters["agent"] = f"{prefix}:idea:{idea_id}:ua:{agent}"
    if fresh:
        counters["fresh"] = f"{prefix}:idea:{idea_id}:fresh"

    pipe = client().pipeline(transaction=False)
    for key, ttl, _limit, _left in limits:
        pipe.incr(key)
        pipe.expire(key, ttl)
    bucketed = {}
    for name, base in counters.items():
        current, previous, weight = _bucket_keys(base, now)
        bucketed[name] = (current, weight)
        pipe.incr(current)
        pipe.expire(current, 2 * WINDOW + 60)
        pipe.get(previous)
    results = pipe.execute()

    position = 0
    wait = 0  # seconds until the last window over its limit ends
    for _key, _ttl, limit, left in limits:
        if results[position] > limit:
            wait = max(wait, left)
        position += 2
    counts = {}
    added = []
    for name, (current, weight) in bucketed.items():
        now_count, previous_count = results[position], int(results[position + 2] or 0)
        counts[name] = int(now_count + previous_count * weight)
        added.append(current)
        position += 3
    if wait:
        take_back(added)
        raise RateLimited(
            _("You are voting very fast. Wait a minute, then try again."), retry_after=wait
        )

    signals = []

    def signal(code: str, points: int, **figures) -> None:
        signals.append({"code": code, "points": points, **figures})

    if age < FRESH_HOUR:
        signal("fresh_account", 15, age_minutes=int(age.total_seconds() // 60))
    elif fresh:
        signal("fresh_account", 8, age_minutes=int(age.total_seconds() // 60))
    if domain and is_disposable_email(voter.email):
        signal("disposable_email", 35, domain=domain)
    if not agent:
        signal("no_user_agent", 10)
    idea_votes = max(counts["idea"], 1)
    if network:
        for threshold, points in NETWORK_TIERS:
            if counts["network"] >= threshold:
                signal("network_on_idea", points, network=network, votes=counts["network"])
                break
    if agent and counts["agent"] >= AGENT_MIN and counts["agent"] / idea_votes >= AGENT_SHARE:
        signal("agent_on_idea", AGENT_POINTS, votes=counts["agent"], of=counts["idea"])
    if (
        fresh
        and counts["fresh"] >= FRESH_BURST_MIN
        and counts["fresh"] / idea_votes >= FRESH_BURST_SHARE
    ):
        signal("fresh_burst", FRESH_BURST_POINTS, votes=counts["fresh"], of=counts["idea"])

    score = min(100, sum(s["points"] for s in signals))
    assessment = Assessment(
        score=score,
        signals=signals,
        network=network,
        agent=agent,
        fresh=fresh,
        account_age_minutes=max(0, int(age.total_seconds() // 60)),
        email_domain=domain,
        counts=counts,
        added_keys=added,
    )
    if assessment.quarantine and assessment.concentrations:
        kinds = ",".join(sorted(assessment.concentrations))
        browser = agent if "agent_on_idea" in kinds else ""
        current, _previous, _weight = _bucket_keys(
            f"{prefix}:sweep:{idea_id}:{kinds}:{network}:{browser}", now
        )
        assessment.sweep_key = current
    return assessment


def claim_sweep(assessment: Assessment) -> bool:
    """True once per burst window for a given concentration: the caller sweeps."""
    if not assessment.sweep_key:
        return False
    return bool(client().set(assessment.sweep_key, 1, nx=True, ex=2 * WINDOW))
