"""The team: invitations by e-mail, role changes, removal, with every persona."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from accounts import services
from accounts.models import Invitation, Membership
from notifications.models import Notification

pytestmark = pytest.mark.django_db

Role = Membership.Role


def invite(client, email="new@ing.example", role="moderator"):
    return client.post("/console/team/invite/", {"email": email, "role": role})


def invitation_of(tenant, email) -> Invitation:
    with scope(tenant=tenant):
        return Invitation.objects.get(email=email, status="pending")


@pytest.mark.parametrize("persona", ["owner", "admin"])
def test_managers_invite(ing, persona, request, client_for):
    user = request.getfixturevalue(persona)
    response = invite(client_for(ing, user))
    assert response.status_code == 302
    invitation = invitation_of(ing, "new@ing.example")
    assert invitation.role == "moderator"
    assert invitation.expires_at > timezone.now() + timedelta(days=6)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("moderator", 403), ("juror", 403), ("participant", 404), ("stranger", 404)],
)
def test_others_cannot_invite(ing, persona, status, request, client_for):
    user = request.getfixturevalue(persona)
    assert invite(client_for(ing, user)).status_code == status
    with scope(tenant=ing):
        assert not Invitation.objects.exists()


def test_bad_invitations_say_why_and_write_nothing(ing, owner, moderator, client_for):
    client = client_for(ing, owner)
    assert invite(client, email="not-an-address").status_code == 400
    assert invite(client, role="owner").status_code == 400
    assert invite(client, email=moderator.email).status_code == 400
    with scope(tenant=ing):
        assert not Invitation.objects.exists()


def test_invitation_to_a_new_address_is_e_mailed(ing, owner, celery_worker, client_for):
    invite(client_for(ing, owner), email="newcomer@example.com", role="juror")
    deadline = timezone.now() + timedelta(seconds=10)
    while not mail.outbox and timezone.now() < deadline:
        pass
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.com"]
    assert "ING Direct" in message.subject
    assert message.from_email.startswith("ING Direct via Ruche <")  # the brand's sender name
    assert "://ing.localhost/team/invitations/" in message.body


def test_invitation_to_an_existing_account_goes_through_notifications(ing, owner, participant):
    with scope(tenant=ing):
        services.invitation_create(tenant=ing, email=participant.email, role="juror", actor=owner)
        notification = Notification.objects.get(recipient=participant)
    assert notification.event == "team.invitation"
    assert notification.context["url"].startswith("/team/invitations/")


def test_accepting_as_a_new_account_joins_in_one_click(ing, owner, client_for):
    with scope(tenant=ing):
        invitation = services.invitation_create(
            tenant=ing, email="new@ing.example", role="moderator", actor=owner
        )
    client = client_for(ing)
    page = client.get(services.invitation_path(invitation))
    assert page.status_code == 200
    response = client.post(services.invitation_path(invitation))
    assert response.status_code == 302
    with scope(tenant=ing):
        membership = Membership.objects.get(user__email="new@ing.example")
        invitation.refresh_from_db()
    assert membership.role == "moderator"
    assert invitation.status == "accepted"
    assert client.get("/console/").status_code == 200  # signed in, on the team
    # The link works once.
    assert client_for(ing).post(services.invitation_path(invitation)).status_code == 400


def test_an_existing_account_signs_in_first_and_must_be_the_invited_one(
    ing, owner, participant, make_user, client_for
):
    with scope(tenant=ing):
        invitation = services.invitation_create(
            tenant=ing, email=participant.email, role="juror", actor=owner
        )
    path = services.invitation_path(invitation)
    anonymous = client_for(ing).post(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    other = make_user("other@example.com")
    assert client_for(ing, other).post(path).status_code == 400
    assert client_for(ing, participant).post(path).status_code == 302
    with scope(tenant=ing):
        assert Membership.objects.get(user=participant).role == "juror"


def test_expired_and_withdrawn_invitations_do_not_work(ing, owner, client_for):
    with scope(tenant=ing):
        expired = services.invitation_create(
            tenant=ing, email="late@example.com", role="juror", actor=owner
        )
        Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        withdrawn = services.invitation_create(
            tenant=ing, email="gone@example.com", role="juror", actor=owner
        )
        services.invitation_withdraw(invitation=withdrawn, actor=owner)
    for invitation in (expired, withdrawn):
        response = client_for(ing).post(services.invitation_path(invitation))
        assert response.status_code == 400
    with scope(tenant=ing):
        assert Membership.objects.count() == 1


def test_a_forged_or_other_tenants_link_is_404(ing, decathlon, owner, stranger, client_for):
    with scope(tenant=decathlon):
        theirs = services.invitation_create(
            tenant=decathlon, email="x@example.com", role="juror", actor=stranger
        )
    assert client_for(ing).get(services.invitation_path(theirs)).status_code == 404
    assert client_for(ing).get("/team/invitations/forged/").status_code == 404


def test_inviting_again_replaces_the_pending_invitation(ing, owner):
    with scope(tenant=ing):
        first = services.invitation_create(
            tenant=ing, email="a@example.com", role="juror", actor=owner
        )
        second = services.invitation_create(
            tenant=ing, email="A@example.com", role="moderator", actor=owner
        )
        first.refresh_from_db()
    assert first.status == "withdrawn"
    assert second.status == "pending"


def test_role_changes_follow_the_ranks(ing, owner, admin, moderator, client_for):
    with scope(tenant=ing):
        mod = Membership.objects.get(user=moderator)
        own = Membership.objects.get(user=owner)
    assert (
        client_for(ing, admin)
        .post(f"/console/team/{mod.public_id}/role/", {"role": "juror"})
        .status_code
        == 302
    )
    # An admin cannot make an owner, nor touch one.
    assert (
        client_for(ing, admin)
        .post(f"/console/team/{mod.public_id}/role/", {"role": "owner"})
        .status_code
        == 403
    )
    assert (
        client_for(ing, admin)
        .post(f"/console/team/{own.public_id}/role/", {"role": "admin"})
        .status_code
        == 403
    )
    assert (
        client_for(ing, moderator)
        .post(f"/console/team/{mod.public_id}/role/", {"role": "admin"})
        .status_code
        == 403
    )
    # The last owner stays.
    assert (
        client_for(ing, owner)
        .post(f"/console/team/{own.public_id}/role/", {"role": "admin"})
        .status_code
        == 400
    )
    with scope(tenant=ing):
        assert Membership.objects.get(user=owner).role == "owner"
        assert Membership.objects.get(user=moderator).role == "juror"


def test_removal_asks_for_confirmation_then_removes(ing, owner, juror, stranger, client_for):
    with scope(tenant=ing):
        membership = Membership.objects.get(user=juror)
        own = Membership.objects.get(user=owner)
    path = f"/console/team/{membership.public_id}/remove/"
    confirm = client_for(ing, owner).get(path)
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.text
    assert client_for(ing, stranger).post(path).status_code == 404
    assert client_for(ing, owner).post(path).status_code == 302
    last = client_for(ing, owner).post(f"/console/team/{own.public_id}/remove/")
    assert last.status_code == 400
    with scope(tenant=ing):
        assert not Membership.objects.filter(user=juror).exists()
        assert Membership.objects.filter(user=owner).exists()


def test_other_tenants_member_is_404(ing, decathlon, owner, stranger, client_for):
    with scope(tenant=decathlon):
        theirs = Membership.objects.get(user=stranger)
    assert client_for(ing, owner).get(f"/console/team/{theirs.public_id}/").status_code == 404
    assert (
        client_for(ing, owner)
        .post(f"/console/team/{theirs.public_id}/role/", {"role": "juror"})
        .status_code
        == 404
    )


def test_team_api_invites_changes_and_removes(ing, owner, moderator, client_for):
    client = client_for(ing, owner)
    created = client.post(
        "/api/v1/console/team/invitations",
        {"email": "api@example.com", "role": "juror"},
        content_type="application/json",
    )
    assert created.status_code == 201
    bad = client.post(
        "/api/v1/console/team/invitations",
        {"email": "x", "role": "juror"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "email" in bad.json()["error"]["fields"]
    for not_an_object in ("[]", '"x"', "7"):
        bad = client.post(
            "/api/v1/console/team/invitations", not_an_object, content_type="application/json"
        )
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    with scope(tenant=ing):
        mod = Membership.objects.get(user=moderator)
    changed = client.patch(
        f"/api/v1/console/team/{mod.public_id}", {"role": "admin"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["role"] == "admin"
    assert client.delete(f"/api/v1/console/team/{mod.public_id}").status_code == 204
    withdrawn = client.delete(f"/api/v1/console/team/invitations/{created.json()['id']}")
    assert withdrawn.status_code == 204
