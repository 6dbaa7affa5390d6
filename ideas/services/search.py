"""The full-text search vector of ideas, and the trending score of the gallery."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import F, FloatField, Func, TextField, Value
from django.db.models.functions import Coalesce, Greatest, Now, Power
from django.utils import timezone

from campaigns.models import Campaign
from ideas.models import Idea

SEARCH_CONFIGS = {"fr": "french", "es": "spanish", "en": "english"}


def search_config(tenant) -> str:
    """The PostgreSQL text-search configuration of the tenant's language."""
    return SEARCH_CONFIGS.get(tenant.default_language, "english")


def search_refresh(*, ideas) -> None:
    """Recompute the full-text vector of these ideas, in the tenant's language."""
    ideas = list(ideas)
    if not ideas:
        return
    config = search_config(ideas[0].tenant)
    tags = Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField())
    Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(
        search_vector=SearchVector("title", weight="A", config=config)
        + SearchVector(tags, weight="A", config=config)
        + SearchVector("body", weight="B", config=config)
    )


# --- Trending ---------------------------------------------------------------------------------

TRENDING_GRAVITY = 1.5


def trending_formula():
    """(votes + 2 x comments + 1) / (hours since publication + 2) ^ 1.5: recent
    activity rises, age sinks (the voting app may pass recent votes instead of
    all votes by calling `trending_refresh` after its own counts)."""
    hours = Greatest(
        Func(
            Now() - Coalesce(F("published_at"), Now()),
            template="EXTRACT(EPOCH FROM %(expressions)s)",
            output_field=FloatField(),
        )
        / Value(3600.0),
        Value(0.0),
    )
    activity = F("vote_count") + Value(2) * F("comment_count") + Value(1)
    return activity / Power(hours + Value(2.0), Value(TRENDING_GRAVITY))


def trending_now(idea: Idea) -> float:
    published = idea.published_at or timezone.now()
    hours = max(0.0, (timezone.now() - published).total_seconds() / 3600)
    activity = idea.vote_count + 2 * idea.comment_count + 1
    return activity / (hours + 2.0) ** TRENDING_GRAVITY


def trending_refresh(*, tenant) -> int:
    """Recompute the trending score of the published ideas of the tenant's
    running challenges (one UPDATE)."""
    return Idea.objects.filter(
        tenant=tenant,
        state=Idea.State.PUBLISHED,
        campaign__status__in=(Campaign.Status.OPEN, Campaign.Status.SCHEDULED),
    ).update(trending_score=trending_formula())
