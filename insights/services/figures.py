"""A tenant's daily figures, rebuilt for one (tenant-local) day from its page
views and from what the other apps recorded that day (read through their
selectors): DailyFigures, DailySource, DailyAudience, then the Participation
rows of that day's people and the funnels of the challenges they touched.

Rebuilding a day replaces its rows: running it twice, or late (a withdrawn
vote, a page view folded after midnight), gives the same figures as running
it once at the right time.

Attribution within a day: a visit's source is that of its first arrival (a
view not reached from another page of the site); a person's sign-up, consent
and votes are credited to the source and challenge of the visitor key they
were seen with that day (the key does not change when someone signs in: it is
made from the address and browser). Nothing links two days.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q

from accounts import selectors as account_selectors
from campaigns import selectors as campaign_selectors
from ideas import selectors as idea_selectors
from insights.models import (
    DailyAudience,
    DailyFigures,
    DailySource,
    FunnelFigures,
    PageView,
    Participation,
    Source,
)
from tenants.models import Tenant
from voting import selectors as voting_selectors

FIGURES = ("visitors", "page_views", "signups", "consents", "ideas", "votes", "comments", "shares")
# An advisory lock's first key: "writing this tenant's people and funnels".
LOCK_CLASS = 7113


def day_bounds(tenant: Tenant, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[since, until) of a tenant-local day, as aware datetimes."""
    zone = ZoneInfo(tenant.time_zone)
    since = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return since, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def local_day(tenant: Tenant, moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(tenant.time_zone)).date()


# The views of a day counted in the database: a day can hold hundreds of
# thousands of anonymous views, which a Python loop would take seconds to count
# each minute (make bench-dashboard). GROUPING SETS count the brand and each
# challenge (and idea) in one pass; the ORM has no way to say it.
_VIEW_FIGURES = """
SELECT campaign_id, GROUPING(campaign_id), count(*), count(DISTINCT visitor_key),
       count(DISTINCT visitor_key) FILTER (WHERE shared)
FROM insights_pageview WHERE tenant_id = %(tenant)s AND day = %(day)s
GROUP BY GROUPING SETS ((campaign_id), ())
"""
# A visit's source is that of its key's first arrival (a view not reached from
# another page of the site); a key with none is direct.
_SOURCE_VISITS = """
WITH arrival AS (
    SELECT DISTINCT ON (visitor_key) visitor_key, source FROM insights_pageview
    WHERE tenant_id = %(tenant)s AND day = %(day)s AND NOT internal
    ORDER BY visitor_key, viewed_at, id
), seen AS (
    SELECT p.campaign_id, p.idea_id, p.visitor_key, COALESCE(a.source, 'direct') AS source
    FROM insights_pageview p LEFT JOIN arrival a ON a.visitor_key = p.visitor_key
    WHERE p.tenant_id = %(tenant)s AND p.day = %(day)s
)
SELECT campaign_id, idea_id, source, GROUPING(campaign_id, idea_id),
       count(DISTINCT visitor_key)
FROM seen GROUP BY GROUPING SETS ((source), (campaign_id, source), (campaign_id, idea_id, source))
"""
# A key's device and language are those of its first view; it is a returning
# visitor if the person signed in with it had visited on an earlier day.
_AUDIENCE = """
WITH first_view AS (
    SELECT DISTINCT ON (visitor_key) visitor_key, device,
           COALESCE(NULLIF(language, ''), 'unknown') AS language
    FROM insights_pageview WHERE tenant_id = %(tenant)s AND day = %(day)s
    ORDER BY visitor_key, viewed_at, id
), known AS (
    SELECT DISTINCT ON (visitor_key) visitor_key, user_id FROM insights_pageview
    WHERE tenant_id = %(tenant)s AND day = %(day)s AND user_id IS NOT NULL
    ORDER BY visitor_key, viewed_at, id
), seen AS (
    SELECT DISTINCT campaign_id, visitor_key FROM insights_pageview
    WHERE tenant_id = %(tenant)s AND day = %(day)s
), traits AS (
    SELECT s.campaign_id, s.visitor_key, f.device, f.language,
           CASE WHEN k.user_id IS NULL THEN 'unknown'
                WHEN k.user_id = ANY(%(returning)s::bigint[]) THEN 'returning'
                ELSE 'new' END AS kind
    FROM seen s JOIN first_view f USING (visitor_key) LEFT JOIN known k USING (visitor_key)
)
SELECT campaign_id, GROUPING(campaign_id), 'device', device, count(DISTINCT visitor_key)
FROM traits GROUP BY GROUPING SETS ((campaign_id, device), (device))
UNION ALL
SELECT campaign_id, GROUPING(campaign_id), 'language', language, count(DISTINCT visitor_key)
FROM traits GROUP BY GROUPING SETS ((campaign_id, language), (language))
UNION ALL
SELECT campaign_id, GROUPING(campaign_id), 'visitor', kind, count(DISTINCT visitor_key)
FROM traits GROUP BY GROUPING SETS ((campaign_id, kind), (kind))
"""


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Rounds:
    """Which round of a challenge a moment belongs to: the weekly round running
    then, else any round open then (the grand round, a single round)."""

    def __init__(self, rounds):
        self.by_campaign = defaultdict(list)
        for round_ in rounds:
            self.by_campaign[round_.campaign_id].append(round_)

    def at(self, campaign_id, moment) -> int | None:
        rounds = self.by_campaign.get(campaign_id, [])
        running = [r for r in rounds if r.starts_at <= moment < r.ends_at]
        if not running:
            running = [r for r in rounds if r.starts_at <= moment < r.voting_ends_at]
        running.sort(key=lambda r: (r.kind != "weekly", r.index))
        return running[0].pk if running else None


class _Day:
    """The day's records and who was who that day."""

    def __init__(self, tenant: Tenant, day: dt.date):
        self.tenant, self.day = tenant, day
        since, until = day_bounds(tenant, day)
        rounds = campaign_selectors.rounds_of_tenant(tenant=tenant)
        self.rounds = _Rounds(rounds)
        live = [r.pk for r in rounds if r.starts_at < until and r.voting_ends_at > since]
        # Only the views of keys someone was signed in with: the anonymous
        # majority is counted in SQL (_VIEW_FIGURES …), people are attributed here.
        day_views = PageView.objects.filter(tenant=tenant, day=day)
        signed_in_keys = day_views.filter(user__isnull=False).values("visitor_key")
        self.views = list(
            day_views.filter(visitor_key__in=signed_in_keys)
            .order_by("viewed_at", "pk")
            .values(
                "visitor_key", "user_id", "campaign_id", "idea_id", "viewed_at",
                "source", "internal", "shared", "device", "language",
            )
        )  # fmt: skip
        self.ideas = idea_selectors.submissions_between(tenant=tenant, since=since, until=until)
        self.comments = idea_selectors.comments_between(tenant=tenant, since=since, until=until)
        self.votes = voting_selectors.votes_between(
            tenant=tenant, round_ids=live, since=since, until=until
        )
        self.signups = account_selectors.signups_between(tenant=tenant, since=since, until=until)
        self.consents = account_selectors.consents_between(tenant=tenant, since=since, until=until)
        self._link()

    def _link(self) -> None:
        self.key_source: dict[str, str] = {}
        self.key_campaign: dict[str, int] = {}
        self.key_landing: dict[str, int | None] = {}
        self.key_first: dict[str, dict] = {}
        self.key_user: dict[str, int] = {}
        self.user_key: dict[int, str] = {}
        self.idea_campaign: dict[int, int] = {}
        for view in self.views:
            key = view["visitor_key"]
            self.key_first.setdefault(key, view)
            self.key_landing.setdefault(key, view["idea_id"])
            if not view["internal"]:
                self.key_source.setdefault(key, view["source"])
            if view["campaign_id"]:
                self.key_campaign.setdefault(key, view["campaign_id"])
            if view["idea_id"]:
                self.idea_campaign[view["idea_id"]] = view["campaign_id"]
            if view["user_id"]:
                self.user_key.setdefault(view["user_id"], key)
                self.key_user.setdefault(key, view["user_id"])
        self.acted_in: dict[int, int] = {}
        actions = [(i["submitted_at"], i["author_id"], i["campaign_id"]) for i in self.ideas]
        actions += [(v["cast_at"], v["voter_id"], v["idea__campaign_id"]) for v in self.votes]
        actions += [
            (c["created_at"], c["author_id"], c["idea__campaign_id"]) for c in self.comments
        ]
        for _at, user_id, campaign_id in sorted(actions, key=lambda a: a[0]):
            if user_id:
                self.acted_in.setdefault(user_id, campaign_id)
        for vote in self.votes:
            self.idea_campaign.setdefault(vote["idea_id"], vote["idea__campaign_id"])

    def source_of_key(self, key: str | None) -> str:
        return self.key_source.get(key, Source.DIRECT) if key else Source.DIRECT

    def source_of_user(self, user_id: int) -> str:
        return self.source_of_key(self.user_key.get(user_id))

    def campaign_of_user(self, user_id: int) -> int | None:
        """The challenge that brought the person today: the first one whose pages
        their visitor key saw, else the first one they took part in."""
        key = self.user_key.get(user_id)
        return (
            self.key_campaign.get(key) if key in self.key_campaign else self.acted_in.get(user_id)
        )

    def landing_idea_of_user(self, user_id: int) -> int | None:
        return self.key_landing.get(self.user_key.get(user_id))


def _figures(day: _Day) -> dict:
    counts: dict = defaultdict(Counter)
    params = {"tenant": day.tenant.pk, "day": day.day}
    for campaign_id, brand, page_views, visitors, shares in _rows(_VIEW_FIGURES, params):
        if brand or campaign_id is not None:
            scope_id = None if brand else campaign_id
            counts[scope_id].update(page_views=page_views, visitors=visitors, shares=shares)
    for name, rows, user_field in (("signups", day.signups, "user_id"),
                                   ("consents", day.consents, "user_id")):  # fmt: skip
        for row in rows:
            for scope_id in {None, day.campaign_of_user(row[user_field])}:
                counts[scope_id][name] += 1
    by_campaign = (
        ("ideas", day.ideas, "campaign_id"),
        ("votes", day.votes, "idea__campaign_id"),
        ("comments", day.comments, "idea__campaign_id"),
    )
    for name, rows, campaign_field in by_campaign:
        for row in rows:
            for scope_id in {None, row[campaign_field]}:
                counts[scope_id][name] += 1
    return counts


def _sources(day: _Day) -> dict:
    """(campaign, idea, source) → Counter(visits, signups, votes)."""
    rows: dict = defaultdict(Counter)
    params = {"tenant": day.tenant.pk, "day": day.day}
    for campaign_id, idea_id, source, level, visits in _rows(_SOURCE_VISITS, params):
        # level: 3 the brand, 1 a challenge, 0 an idea (GROUPING of campaign, idea)
        if level == 3:
            rows[(None, None, source)]["visits"] = visits
        elif level == 1 and campaign_id is not None:
            rows[(campaign_id, None, source)]["visits"] = visits
        elif level == 0 and idea_id is not None:
            rows[(campaign_id, idea_id, source)]["visits"] = visits
    for signup in day.signups:
        user_id = signup["user_id"]
        source, campaign_id = day.source_of_user(user_id), day.campaign_of_user(user_id)
        rows[(None, None, source)]["signups"] += 1
        if campaign_id is not None:
            rows[(campaign_id, None, source)]["signups"] += 1
            landing = day.landing_idea_of_user(user_id)
            if landing is not None and day.idea_campaign.get(landing) == campaign_id:
                rows[(campaign_id, landing, source)]["signups"] += 1
    for vote in day.votes:
        source, campaign_id = day.source_of_user(vote["voter_id"]), vote["idea__campaign_id"]
        for where in ((None, None), (campaign_id, None), (campaign_id, vote["idea_id"])):
            rows[(*where, source)]["votes"] += 1
    return rows


def _audience(day: _Day, returning_users: set[int]) -> dict:
    """(campaign, dimension, value) → visitors."""
    params = {"tenant": day.tenant.pk, "day": day.day, "returning": list(returning_users)}
    rows: Counter = Counter()
    for campaign_id, brand, dimension, value, visitors in _rows(_AUDIENCE, params):
        if brand or campaign_id is not None:
            rows[(None if brand else campaign_id, dimension, value)] = visitors
    return rows


def _participation(day: _Day) -> dict:
    """(campaign, round, user) → the flags seen today."""
    entries: dict = defaultdict(set)
    for view in day.views:
        if view["user_id"] and view["campaign_id"]:
            round_id = day.rounds.at(view["campaign_id"], view["viewed_at"])
            if round_id:
                entries[(view["campaign_id"], round_id, view["user_id"])].add("seen")
    for idea in day.ideas:
        round_id = idea["round_id"] or day.rounds.at(idea["campaign_id"], idea["submitted_at"])
        if round_id and idea["author_id"]:
            entries[(idea["campaign_id"], round_id, idea["author_id"])].add("submitted")
    for vote in day.votes:
        entries[(vote["idea__campaign_id"], vote["round_id"], vote["voter_id"])].add("voted")
    for comment in day.comments:
        campaign_id = comment["idea__campaign_id"]
        round_id = day.rounds.at(campaign_id, comment["created_at"])
        if round_id and comment["author_id"]:
            entries[(campaign_id, round_id, comment["author_id"])].add("commented")
    return entries


def _participation_write(tenant: Tenant, entries: dict) -> set[int]:
    """Adds the day's flags to the people's rows (flags are never taken back:
    who voted once in a round took that step of the funnel)."""
    if not entries:
        return set()
    users = {user_id for _c, _r, user_id in entries}
    campaigns = {campaign_id for campaign_id, _r, _u in entries}
    consented = account_selectors.consented_user_ids(tenant=tenant, user_ids=users)
    staff = account_selectors.staff_user_ids(tenant=tenant, user_ids=users)
    existing = {
        (row.campaign_id, row.round_id, row.user_id): row
        for row in Participation.objects.filter(
            tenant=tenant, campaign_id__in=campaigns, user_id__in=users
        )
    }
    rows = []
    for (campaign_id, round_id, user_id), flags in entries.items():
        before = existing.get((campaign_id, round_id, user_id))
        rows.append(
            Participation(
                tenant=tenant,
                campaign_id=campaign_id,
                round_id=round_id,
                user_id=user_id,
                consented=user_id in consented,
                submitted="submitted" in flags or bool(before and before.submitted),
                voted="voted" in flags or bool(before and before.voted),
                commented="commented" in flags or bool(before and before.commented),
                is_employee=user_id in staff,
            )
        )
    Participation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["campaign", "round", "user"],
        update_fields=["consented", "submitted", "voted", "commented", "is_employee"],
    )
    return campaigns


def funnel_refresh(*, tenant: Tenant, campaign_id: int) -> None:
    """The funnel's counts of a challenge and of each of its rounds, from its
    Participation rows (three queries to count, two to write)."""
    rows = Participation.objects.filter(tenant=tenant, campaign_id=campaign_id)
    later = rows.filter(user_id=OuterRef("user_id"), round__index__gt=OuterRef("round__index"))
    people = {
        "signed_in": Count("user_id", distinct=True),
        "consented": Count("user_id", distinct=True, filter=Q(consented=True)),
        "submitted": Count("user_id", distinct=True, filter=Q(submitted=True)),
        "voted": Count("user_id", distinct=True, filter=Q(voted=True)),
        "employees": Count("user_id", distinct=True, filter=Q(is_employee=True)),
    }
    per_round = list(
        rows.annotate(back=Exists(later))
        .values("round_id")
        .annotate(**people, came_back=Count("user_id", distinct=True, filter=Q(back=True)))
        .order_by("round_id")
    )
    whole = rows.aggregate(**people)
    whole["came_back"] = rows.filter(Exists(later)).values("user_id").distinct().count()
    figures = [FunnelFigures(tenant=tenant, campaign_id=campaign_id, round_id=None, **whole)]
    figures += [FunnelFigures(tenant=tenant, campaign_id=campaign_id, **row) for row in per_round]
    FunnelFigures.objects.filter(tenant=tenant, campaign_id=campaign_id).delete()
    FunnelFigures.objects.bulk_create(figures)


def figures_refresh(*, tenant: Tenant, day: dt.date) -> bool:
    """Rebuild the tenant's figures of `day` (tenant-local) and the funnels of
    the challenges people took part in that day. Idempotent. While a rebuild of
    the tenant runs, another returns False at once rather than queue behind it:
    a busy day takes seconds to rebuild (make bench-dashboard), and the next
    minute's run catches up with whatever this one would have seen."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"insights:{tenant.pk}:{day}"],
            )
            if not cursor.fetchone()[0]:
                return False
        records = _Day(tenant, day)
        users = list(records.key_user.values())
        returning = set(
            PageView.objects.filter(tenant=tenant, user_id__in=users, day__lt=day)
            .values_list("user_id", flat=True)
            .distinct()
        )
        DailyFigures.objects.filter(tenant=tenant, day=day).delete()
        DailySource.objects.filter(tenant=tenant, day=day).delete()
        DailyAudience.objects.filter(tenant=tenant, day=day).delete()
        DailyFigures.objects.bulk_create(
            DailyFigures(tenant=tenant, campaign_id=scope_id, day=day, **counts)
            for scope_id, counts in _figures(records).items()
        )
        DailySource.objects.bulk_create(
            DailySource(tenant=tenant, campaign_id=campaign_id, idea_id=idea_id, day=day,
                        source=source, **counts)
            for (campaign_id, idea_id, source), counts in _sources(records).items()
        )  # fmt: skip
        DailyAudience.objects.bulk_create(
            DailyAudience(tenant=tenant, campaign_id=scope_id, day=day, dimension=dimension,
                          value=value[:12], visitors=visitors)
            for (scope_id, dimension, value), visitors in _audience(records, returning).items()
        )  # fmt: skip
        # Two days of a tenant may be rebuilt at once (just after midnight): their
        # people's rows and funnels are written one after the other.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, tenant.pk])
        for campaign_id in _participation_write(tenant, _participation(records)):
            funnel_refresh(tenant=tenant, campaign_id=campaign_id)
    return True
