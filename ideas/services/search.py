"""The full-text search vector of ideas, and the trending score of the gallery."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import F, FloatField, Func, TextField, Value
from django.db.models.functions import Coalesce, Greatest, Now, Power
from django.utils import timezone

from campaigns.models import Campaign
from ideas.language import detect_language
from ideas.models import Idea
from tenants.models import Tenant

SEARCH_CONFIGS = {"fr": "french", "es": "spanish", "en": "english"}


def search_config(tenant) -> str:
    """The PostgreSQL text-search configuration of the tenant's language."""
    return SEARCH_CONFIGS.get(tenant.default_language, "english")


def idea_language(*, title: str, body: str, author=None) -> str:
    """The language an idea is written in: detected from its words, else its
    author's language, else "" (then the brand's language stands in)."""
    detected = detect_language(f"{title}\n{body}", languages=tuple(Tenant.Language.values))
    if detected:
        return detected
    return getattr(author, "language", "") or ""


def _folded(expression):
    """Accents dropped (see the migration that creates `search_fold`)."""
    return Func(expression, function="search_fold", output_field=TextField())


def _search_vector(config: str):
    tags = Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField())
    return (
        SearchVector(_folded(F("title")), weight="A", config=config)
        + SearchVector(_folded(tags), weight="A", config=config)
        + SearchVector(_folded(F("body")), weight="B", config=config)
    )


def search_query(text: str, *, search_type: str = "websearch") -> SearchQuery:
    """What a visitor typed, accents dropped, read in each of the platform's
    languages: an idea is indexed in its own language, which the visitor's
    words need not share ("saving" and "ahorro" side by side in one challenge)."""
    queries = [
        SearchQuery(_folded(Value(text)), search_type=search_type, config=config)
        for config in SEARCH_CONFIGS.values()
    ]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def search_refresh(*, ideas) -> None:
    """Recompute the full-text vector of these ideas, each in its own language
    (the brand's when it is unknown): one UPDATE per language."""
    by_config: dict[str, list[int]] = {}
    for idea in ideas:
        language = idea.language or idea.tenant.default_language
        by_config.setdefault(SEARCH_CONFIGS.get(language, "english"), []).append(idea.pk)
    for config, pks in by_config.items():
        Idea.objects.filter(pk__in=pks).update(search_vector=_search_vector(config))


def search_reindex(*, tenant) -> int:
    """Recompute the full-text vector of every idea of the tenant (after its
    language changed: the ideas of unknown language follow it). Idempotent."""
    tenant = Tenant.objects.get(pk=tenant.pk)  # its language as stored now
    count = 0
    for language in ("", *SEARCH_CONFIGS):
        config = SEARCH_CONFIGS.get(language or tenant.default_language, "english")
        count += Idea.objects.filter(tenant=tenant, language=language).update(
            search_vector=_search_vector(config)
        )
    return count


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
