"""People's own data: their votes are exported, and withdrawn (counters
corrected) when a brand erases what it holds about them."""

from django_scopes import scope

from accounts import services as account_services
from accounts.models import ParticipantProfile
from voting.models import Vote

from .conftest import fresh


def test_the_export_lists_the_persons_votes_and_what_was_kept(idea, make_voter, cast):
    voter = make_voter()
    cast(idea, voter, ip="198.51.100.4", user_agent="Firefox")
    cast(idea, make_voter())
    export = account_services.personal_data_export(user=voter, tenant=idea.tenant)
    votes = export["tenants"][0]["data"]["votes"]
    assert len(votes) == 1
    assert votes[0]["idea"] == str(idea.public_id) and votes[0]["status"] == "counted"
    assert votes[0]["network"] == "198.51.100.0/24"


def test_erasing_a_participant_withdraws_their_votes(idea, submit, make_voter, cast, admin):
    voter = make_voter()
    other = submit(title="Otra idea")
    cast(idea, voter)
    cast(other, voter)
    cast(other, make_voter())
    with scope(tenant=idea.tenant):
        profile = ParticipantProfile.objects.get(tenant=idea.tenant, user=voter)
        account_services.participant_erase(
            tenant=idea.tenant, profile=profile, mode="remove", actor=admin
        )
        assert not Vote.objects.filter(voter=voter).exists()
    assert fresh(idea).vote_count == 0 and fresh(other).vote_count == 1
