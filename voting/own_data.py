"""Voting's section of people's own data (see accounts.personal_data): the
person's votes, exported with what the anti-fraud checks kept about them;
withdrawn when they leave, whatever the mode (frozen rankings stay as they were)."""

from voting import services
from voting.models import Vote


def _iso(value):
    return value.isoformat() if value else None


def votes_export(*, user, tenant):
    return [
        {
            "idea": str(vote.idea.public_id),
            "idea_title": vote.idea.title,
            "cast_at": _iso(vote.cast_at),
            "status": vote.status,
            "network": vote.ip_network,
            "browser_signature": vote.user_agent_hash,
            "risk_score": vote.risk_score,
        }
        for vote in Vote.objects.filter(tenant=tenant, voter=user)
        .select_related("idea")
        .order_by("cast_at", "pk")
    ]


def votes_erase(*, user, tenant, mode):
    services.votes_erase(user=user, tenant=tenant)
