"""The embeddings of ideas (what they mean), written by the `idea_embed` task."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from ideas import meaning, tasks
from ideas.models import Idea, IdeaEmbedding


def embedding_refresh(*, idea_id: int) -> bool:
    """Embed the idea's title and text, unless its stored embedding was made of
    the same text. True when it wrote one. Idempotent: two runs at once write
    the same row (the idea's row lock orders them)."""
    idea = Idea.objects.filter(pk=idea_id).only("title", "body").first()
    if idea is None:
        return False
    text = meaning.idea_text(title=idea.title, body=idea.body)
    digest = meaning.text_digest(text)
    if IdeaEmbedding.objects.filter(idea_id=idea_id, text_digest=digest).exists():
        return False
    # Outside the transaction: no lock is held while the encoder runs.
    vector = meaning.embed_idea(title=idea.title, body=idea.body)
    with transaction.atomic():
        idea = Idea.objects.select_for_update().filter(pk=idea_id).first()
        if idea is None:
            return False
        current = meaning.text_digest(meaning.idea_text(title=idea.title, body=idea.body))
        if current != digest:  # edited meanwhile: that edit queued its own run
            return False
        IdeaEmbedding.objects.update_or_create(
            idea=idea,
            defaults={
                "tenant_id": idea.tenant_id,
                "campaign_id": idea.campaign_id,
                "vector": vector,
                "text_digest": digest,
            },
        )
    return True


def embedding_schedule(idea: Idea) -> None:
    """Queue the idea's embedding once the current transaction commits."""
    transaction.on_commit(
        partial(tasks.idea_embed.delay, tenant_id=idea.tenant_id, idea_id=idea.pk)
    )
