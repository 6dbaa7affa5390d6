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
