"""The rules in plain words, generated from the settings, in each language."""

import pytest
from django.utils import translation
from django_scopes import scope

from campaigns.models import Campaign
from campaigns.plain_rules import challenge_rules

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def rules_of(campaign, language):
    with scope(tenant=campaign.tenant), translation.override(language):
        campaign = Campaign.objects.prefetch_related("rounds", "prizes").get(pk=campaign.pk)
        return challenge_rules(
            campaign,
            rounds=campaign.rounds.all(),
            prizes=campaign.prizes.all(),
            time_zone=campaign.tenant.time_zone,
        )


def test_the_reference_challenge_in_english(genios):
    rules = rules_of(genios, "en")
    assert (
        "Every Sunday at 23:59, the jury picks the best of the 10 most-voted ideas "
        "of the week and awards €500." in rules
    )
    assert any("the grand prize of €1,500" in rule for rule in rules)
    assert (
        "Share your idea as a text of up to 500 characters, an image (up to 10 MB) "
        "or a video (up to 200 MB and 2 minutes)." in rules
    )
    assert "Ideas appear at once; moderators remove anything that breaks the rules." in rules
    assert "You cannot vote for your own ideas." in rules


def test_the_reference_challenge_in_spanish(genios):
    rules = rules_of(genios, "es")
    assert (
        "Cada domingo a las 23:59, el jurado elige la mejor de las 10 ideas más votadas "
        f"de la semana y otorga 500{NBSP}€." in rules
    )


def test_the_reference_challenge_in_french(genios):
    rules = rules_of(genios, "fr")
    assert (
        "Chaque dimanche à 23:59, le jury choisit la meilleure des 10 idées les plus "
        f"votées de la semaine et remet 500{NBSP}€." in rules
    )


def test_rules_follow_the_settings(ing, owner, make_challenge):
    from tests.campaigns.conftest import next_monday

    campaign = make_challenge(
        ing,
        owner,
        starts_at=next_monday(),
        ends_at=next_monday(weeks=6),
        cadence="days",
        cadence_days=14,
        votes_per_round=3,
        self_vote_allowed=True,
        moderation="pre",
        allow_video=False,
        allow_image=False,
        audience="invite_only",
        shortlist_size=5,
        prizes=[{"round_kind": "grand", "amount": "2000", "currency": "USD"}],
    )
    rules = rules_of(campaign, "en")
    assert "This challenge is open to invited people only." in rules
    assert "A moderator checks each idea before it appears." in rules
    assert "You have 3 votes per round." in rules
    assert "You may vote for your own ideas." in rules
    assert any(
        r.startswith("At the end of each round (every 14 days, the first on ")
        and r.endswith(
            "the jury picks the best of the 5 most-voted ideas of the round and names the winner."
        )
        for r in rules
    )
    assert any("awards the grand prize of $2,000." in r for r in rules)
