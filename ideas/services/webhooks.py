"""What the ideas app reports to the brand's webhooks (integrations.events):
the payloads of idea.submitted, idea.published, idea.hidden, idea.stage_changed
and comment.posted.
Called inside the write's transaction; nothing is sent if it rolls back."""

from ideas.models import Comment, Idea
from integrations.events import publish


def _idea_data(idea: Idea) -> dict:
    return {
        "idea_id": idea.public_id,
        "campaign_id": idea.campaign.public_id,
        "title": idea.title,
        "state": idea.state,
        "url": idea.get_absolute_url(),
    }


def idea_submitted(idea: Idea) -> None:
    author_id = idea.author.public_id if idea.author_id else None
    publish(
        tenant=idea.tenant,
        event="idea.submitted",
        data={**_idea_data(idea), "author_id": author_id},
    )


def idea_published(idea: Idea) -> None:
    publish(tenant=idea.tenant, event="idea.published", data=_idea_data(idea))


def idea_hidden(idea: Idea, *, reason: str) -> None:
    publish(tenant=idea.tenant, event="idea.hidden", data={**_idea_data(idea), "reason": reason})


def idea_stage_changed(idea: Idea, *, previous: str) -> None:
    publish(
        tenant=idea.tenant,
        event="idea.stage_changed",
        data={
            **_idea_data(idea),
            "stage": idea.stage,
            "previous_stage": previous,
            "note": idea.stage_note,
        },
    )


def comment_posted(comment: Comment) -> None:
    publish(
        tenant=comment.tenant,
        event="comment.posted",
        data={
            "comment_id": comment.public_id,
            "idea_id": comment.idea.public_id,
            "parent_id": comment.parent.public_id if comment.parent_id else None,
            "state": comment.state,
            "body": comment.body,
        },
    )
