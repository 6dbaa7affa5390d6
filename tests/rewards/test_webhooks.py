"""The brand's webhooks hear of a challenge's life: each service that reports an
event publishes it (integrations.events.publish), in the write's transaction."""

import pytest
from django.test import override_settings
from django_scopes import scope

from accounts import services as account_services
from accounts.models import ParticipantProfile
from ideas import services as idea_services
from integrations import services as webhook_services
from integrations.events import CATALOGUE
from integrations.models import WebhookDelivery
from rewards import services
from rewards.models import Payout

from .conftest import IBAN_DE


@pytest.fixture
def endpoint(genios, owner):
    """An endpoint of ING's taking every event (nothing is sent in these tests)."""
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True), scope(tenant=genios.tenant):
        return webhook_services.endpoint_create(
            tenant=genios.tenant, url="http://127.0.0.1:9/hooks", events=list(CATALOGUE)
        )


def published(tenant) -> list[tuple[str, dict]]:
    with scope(tenant=tenant):
        return [
            (d.event_type, d.payload["data"])
            for d in WebhookDelivery.objects.order_by("created_at", "id")
        ]


def test_a_challenge_s_life_reaches_the_brand_s_webhooks(
    genios, owner, endpoint, make_idea, make_person, vote, decide, advance, pay_details,
    brand_account,
):  # fmt: skip
    tenant = genios.tenant
    winner = vote(make_idea(title="Idea A"), 2)
    spam = make_idea(title="Idea B")
    with scope(tenant=tenant):
        idea_services.comment_post(idea=winner, author=make_person(), body="¡Muy buena!")
        idea_services.ideas_moderate(ideas=[spam], actor=owner, action="hide", reason="Spam")
    round_, now = decide([winner])
    advance(round_, now)
    pay_details(winner.author, tenant, iban=IBAN_DE)
    with scope(tenant=tenant):
        services.payouts_approve(
            tenant=tenant, payouts=list(Payout.objects.filter(state="ready")), actor=owner
        )
        batch = services.batch_export(tenant=tenant, actor=owner)
        services.batch_mark_paid(batch=batch, actor=owner)
        profile = ParticipantProfile.objects.get(user=spam.author)
        account_services.participant_erase(
            tenant=tenant, profile=profile, mode="anonymise", actor=owner
        )

    events = published(tenant)
    types = [t for t, _data in events]
    assert types == [
        "idea.submitted",
        "idea.published",
        "idea.submitted",
        "idea.published",
        "comment.posted",
        "idea.hidden",
        "round.closed",
        "shortlist.ready",
        "winner.decided",
        "payout.ready",  # the winner's details are in: the team may approve
        "payout.approved",
        "payout.paid",
        "participant.erased",
    ]
    data = dict(events)
    assert data["idea.hidden"]["idea_id"] == str(spam.public_id)
    assert data["idea.hidden"]["reason"] == "Spam"
    assert data["round.closed"]["round_id"] == str(round_.public_id)
    assert data["shortlist.ready"]["idea_ids"] == [str(winner.public_id)]
    assert data["winner.decided"]["idea_ids"] == [str(winner.public_id)]
    assert data["payout.paid"]["amount"] == "500.00"
    assert data["payout.paid"]["currency"] == "EUR"
    assert data["participant.erased"] == {
        "participant_id": str(spam.author.public_id),
        "mode": "anonymise",
    }
    # Every payload has the keys its catalogue entry documents, no more, no fewer.
    for event_type, payload in events:
        assert set(payload) == set(CATALOGUE[event_type].example), event_type
