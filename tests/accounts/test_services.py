import pytest
from django_scopes import scope

from accounts import services
from accounts.models import AuditEntry, Membership
from core.errors import DomainError

pytestmark = pytest.mark.django_db

Role = Membership.Role


def test_emails_are_unique_whatever_their_case(make_user):
    make_user("Ana@Example.com")
    with pytest.raises(DomainError) as error:
        services.user_create(email="ana@example.COM")
    assert error.value.code == "email_taken"


def test_last_owner_cannot_be_demoted_or_removed(ing, owner):
    with scope(tenant=ing):
        membership = Membership.objects.get(user=owner)
        with pytest.raises(services.MembershipError) as error:
            services.membership_set_role(membership=membership, role=Role.ADMIN)
        assert error.value.code == "last_owner"
        with pytest.raises(services.MembershipError):
            services.membership_revoke(membership=membership)
        assert Membership.objects.get(user=owner).role == Role.OWNER


def test_an_owner_can_leave_once_another_owner_exists(ing, owner, make_member):
    make_member(ing, Role.OWNER)
    with scope(tenant=ing):
        services.membership_revoke(membership=Membership.objects.get(user=owner))
        assert not Membership.objects.filter(user=owner).exists()


def test_role_changes_are_audited(ing, owner, moderator):
    with scope(tenant=ing):
        membership = Membership.objects.get(user=moderator)
        services.membership_set_role(membership=membership, role=Role.ADMIN, actor=owner)
        entry = AuditEntry.objects.filter(action="membership.role").get()
    assert entry.actor == owner
    assert entry.data == {"from": "moderator", "to": "admin"}
    assert entry.target_id == str(membership.public_id)


def test_unknown_role_is_refused(ing, participant):
    with scope(tenant=ing), pytest.raises(services.MembershipError):
        services.membership_grant(tenant=ing, user=participant, role="king")


def test_display_names_lose_direction_changing_characters(ing, make_user, client_for):
    person = make_user("lee@example.com", display_name="\u202eeeL\u202c")
    assert person.display_name == "eeL"
    with scope(tenant=ing):
        services.consent_accept(
            tenant=ing, user=person, version=1, display_name="\u2067Lee\u2069 R."
        )
        profile = services.profile_update(tenant=ing, user=person, display_name="Lee\u200f R\u202e")
        assert profile.display_name == "Lee R"
        with pytest.raises(services.ConsentError) as refused:
            services.profile_update(tenant=ing, user=person, display_name="\u202e\u2066 ")
        assert "display_name" in refused.value.fields

    client = client_for(ing, person)
    assert client.post("/me/", {"display_name": "\u202dLee\u202c Page"}).status_code == 302
    with scope(tenant=ing):
        profile.refresh_from_db()
    assert profile.display_name == "Lee Page"
    response = client.patch(
        "/api/v1/me", {"display_name": "\u202eLee\u061c P."}, content_type="application/json"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.display_name == "Lee P."
