"""The demo's votes on "Genios del Ahorro", through the services (called by
`seed_demo` once the ideas are published): a ranking with a clear leader and
a tie, and three votes from throwaway accounts waiting in the moderators'
review. Idempotent: a challenge that has votes is left alone."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import User
from accounts.selectors import has_accepted_current_terms
from campaigns.demo_challenges import GENIOS_SLUG
from campaigns.models import Campaign
from ideas.models import Idea
from voting import services
from voting.models import Vote

# (e-mail, name): people of the demo who vote; their accounts are a few weeks old.
VOTERS = [(f"votante{n}@example.com", f"Votante {n}") for n in range(1, 13)]
# How many of VOTERS vote for each published tip, in the order the tips were published.
SPREAD = [9, 6, 6, 3, 1]
# Fresh accounts at a throwaway domain, all from one network: held for review.
SUSPICIOUS = [(f"ahorro{n}@mailinator.com", f"Cuenta {n}") for n in range(1, 4)]


def _person(tenant, email: str, name: str, *, joined_days_ago: int) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = account_services.user_create(email=email, display_name=name)
        # The demo's past: when these accounts were opened.
        User.objects.filter(pk=user.pk).update(
            date_joined=timezone.now() - dt.timedelta(days=joined_days_ago)
        )
        user.refresh_from_db()
    if not has_accepted_current_terms(user, tenant):
        account_services.consent_accept(tenant=tenant, user=user, version=1, display_name=name)
    return user


def seed_votes(*, tenant) -> int:
    """Add the demo votes to the tenant's "Genios del Ahorro"; returns how many."""
    with scope(tenant=tenant):
        campaign = Campaign.objects.filter(tenant=tenant, slug=GENIOS_SLUG).first()
        if campaign is None or Vote.objects.filter(idea__campaign=campaign).exists():
            return 0
        ideas = list(
            Idea.objects.filter(campaign=campaign, state=Idea.State.PUBLISHED)
            .select_related("campaign", "campaign__tenant")
            .order_by("published_at", "pk")
        )
        if not ideas:
            return 0
        with transaction.atomic():
            voters = [_person(tenant, e, n, joined_days_ago=40) for e, n in VOTERS]
            suspicious = [_person(tenant, e, n, joined_days_ago=0) for e, n in SUSPICIOUS]
        services.round_counter_switch(campaign=campaign)
        cast = 0
        browsers = ("Mozilla/5.0 (iPhone) Safari/604.1", "Mozilla/5.0 (Android 15) Chrome/139")
        for idea, how_many in zip(ideas, SPREAD, strict=False):
            for n, voter in enumerate(voters[:how_many]):
                services.vote_cast(
                    idea=idea,
                    voter=voter,
                    ip=f"192.0.2.{10 + n}" if n % 3 else f"198.51.100.{10 + n}",
                    user_agent=browsers[n % 2],
                )
                cast += 1
        for n, person in enumerate(suspicious):
            services.vote_cast(
                idea=ideas[-1], voter=person, ip=f"203.0.113.{n + 1}", user_agent="curl/8.5"
            )
            cast += 1
    return cast
