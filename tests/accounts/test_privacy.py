"""People's own data: export for one tenant or the platform, account deletion,
a tenant's erasure on request, and what a tenant may see at all."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.db import transaction
from django_scopes import scope

from accounts import personal_data, services
from accounts.models import AuditEntry, Consent, Membership, ParticipantProfile, User
from core.errors import DomainError

pytestmark = pytest.mark.django_db


def take_part(tenant, user, name="Pat", marketing=False):
    with scope(tenant=tenant):
        services.consent_accept(
            tenant=tenant, user=user, version=1, display_name=name, marketing_opt_in=marketing
        )


@pytest.fixture
def ideas_section():
    """A higher app's section, as the ideas app will register it."""
    calls = []

    def export(*, user, tenant):
        return [{"title": f"idea of {user.pk} in {tenant.slug}"}]

    def erase(*, user, tenant, mode):
        calls.append((user.pk, tenant.slug, mode))

    real = {s.name: s for s in personal_data.sections(per_tenant=True)}.get("ideas")
    personal_data.register("ideas", export=export, erase=erase, order=40)
    yield calls
    # Put the real section back: tests after this one on the same worker
    # export people's ideas through it.
    personal_data.unregister("ideas")
    if real is not None:
        personal_data.register(real.name, export=real.export, erase=real.erase, order=real.order)


def test_tenant_export_holds_that_tenant_only(
    ing, decathlon, participant, ideas_section, client_for
):
    take_part(ing, participant, "Pat at ING")
    take_part(decathlon, participant, "Pat at Decathlon")
    response = client_for(ing, participant).get("/me/data.json?scope=tenant")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["scope"] == "tenant"
    assert "account" not in data
    assert [t["tenant"]["slug"] for t in data["tenants"]] == ["ing"]
    sections = data["tenants"][0]["data"]
    assert sections["profile"]["public_name"] == "Pat at ING"
    assert sections["consents"][0]["terms_version"] == 1
    assert sections["ideas"] == [{"title": f"idea of {participant.pk} in ing"}]
    assert "Decathlon" not in response.content.decode()


def test_platform_export_holds_the_account_and_every_tenant(
    ing, decathlon, participant, client_for
):
    take_part(ing, participant)
    take_part(decathlon, participant)
    data = client_for(ing, participant).get("/me/data.json?scope=platform").json()
    assert data["account"]["account"]["email"] == participant.email
    assert {t["tenant"]["slug"] for t in data["tenants"]} == {"ing", "decathlon"}


def test_export_needs_sign_in(ing, client_for):
    assert client_for(ing).get("/me/data.json").status_code == 302


def test_account_deletion_erases_everywhere_and_keeps_no_personal_data(
    ing, decathlon, owner, participant, ideas_section, client_for
):
    take_part(ing, participant)
    take_part(decathlon, participant)
    pid, email = str(participant.public_id), participant.email
    with scope(tenant=ing):
        services.audit_record(
            tenant=ing, actor=owner, action="idea.hide", target=participant,
            reason=f"spam from {email}", data={"author": pid, "why": "spam"},
        )  # fmt: skip
    client = client_for(ing, participant)
    wrong = client.post("/me/delete/", {"mode": "anonymise", "confirm_email": "nope@example.com"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=participant.pk).exists()

    response = client.post("/me/delete/", {"mode": "anonymise", "confirm_email": email})

    assert response.status_code == 302
    assert not User.objects.filter(pk=participant.pk).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert sorted(ideas_section) == [(participant.pk, "decathlon", "anonymise"),
                                     (participant.pk, "ing", "anonymise")]  # fmt: skip
    for tenant in (ing, decathlon):
        with scope(tenant=tenant):
            assert not ParticipantProfile.objects.exists()
            assert not Consent.objects.exists()
            for entry in AuditEntry.objects.all():
                dump = json.dumps([entry.target_id, entry.reason, entry.data])
                assert pid not in dump and email not in dump, entry.action
            assert AuditEntry.objects.filter(action="person.delete_account").exists()
    with scope(tenant=ing):
        hidden = AuditEntry.objects.get(action="idea.hide")
    assert hidden.data == {"author": "[erased]", "why": "spam"}  # the decision stays on record
    assert client.get("/me/").status_code == 302  # signed out


def test_deletion_rolls_back_whole_when_an_eraser_fails(ing, participant):
    take_part(ing, participant)

    def broken(*, user, tenant, mode):
        raise RuntimeError("eraser failed")

    personal_data.register("broken", export=lambda **kw: None, erase=broken, order=90)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.account_delete(user=participant, mode="remove")
    finally:
        personal_data.unregister("broken")
    assert User.objects.filter(pk=participant.pk).exists()
    with scope(tenant=ing):
        assert ParticipantProfile.objects.filter(user=participant).exists()


def test_the_only_owner_cannot_delete_their_account(ing, owner, client_for):
    response = client_for(ing, owner).post(
        "/me/delete/", {"mode": "remove", "confirm_email": owner.email}
    )
    assert response.status_code == 400
    assert User.objects.filter(pk=owner.pk).exists()


def test_a_bad_mode_is_refused(ing, participant):
    with pytest.raises(DomainError):
        services.account_delete(user=participant, mode="shred")


def test_a_tenant_sees_only_people_who_took_part_there(
    ing, decathlon, owner, stranger, participant, make_user, client_for
):
    ana = make_user("ana@example.com", display_name="Ana")
    take_part(decathlon, ana, "Ana")  # took part at Decathlon only
    take_part(ing, participant, "Pat")
    with scope(tenant=decathlon):
        ana_profile = ParticipantProfile.objects.get(user=ana)

    people = client_for(ing, owner).get("/console/people/")
    assert "Pat" in people.text
    assert "ana@example.com" not in people.text
    assert (
        client_for(ing, owner).get(f"/console/people/{ana_profile.public_id}/").status_code == 404
    )
    search = client_for(ing, owner).get("/console/people/?q=ana@example.com")
    assert "ana@example.com" not in search.text.split("<tbody>", 1)[1].split("</tbody>")[0]
    api = client_for(ing, owner).get("/api/v1/console/people").json()
    assert [p["email"] for p in api["results"]] == [participant.email]
    assert (
        client_for(ing, owner).get(f"/api/v1/console/people/{ana_profile.public_id}").status_code
        == 404
    )
    # And Decathlon does not see ING's participant.
    assert participant.email not in client_for(decathlon, stranger).get("/console/people/").text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("moderator", 403), ("juror", 403), ("participant", 404), ("stranger", 404)],
)
def test_people_pages_are_for_administrators(ing, persona, status, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(ing, user).get("/console/people/").status_code == status


def test_an_administrator_exports_and_erases_on_request(
    ing, decathlon, admin, participant, ideas_section, client_for
):
    take_part(ing, participant)
    take_part(decathlon, participant)
    with scope(tenant=ing):
        profile = ParticipantProfile.objects.get(user=participant)
    client = client_for(ing, admin)
    export = client.get(f"/console/people/{profile.public_id}/data.json").json()
    assert export["tenants"][0]["data"]["profile"]["public_name"] == "Pat"

    unconfirmed = client.post(f"/console/people/{profile.public_id}/erase/", {"mode": "remove"})
    assert unconfirmed.status_code == 400
    erased = client.post(
        f"/console/people/{profile.public_id}/erase/", {"mode": "remove", "confirm": "erase"}
    )
    assert erased.status_code == 302
    assert ideas_section == [(participant.pk, "ing", "remove")]
    with scope(tenant=ing):
        assert not ParticipantProfile.objects.filter(user=participant).exists()
        assert AuditEntry.objects.filter(action="participant.erase", actor=admin).exists()
    with scope(tenant=decathlon):  # their account and other brands are untouched
        assert ParticipantProfile.objects.filter(user=participant).exists()
    assert User.objects.filter(pk=participant.pk).exists()


def test_marketing_export_lists_only_those_who_agreed(
    ing, owner, participant, make_user, client_for
):
    take_part(ing, participant, marketing=True)
    quiet = make_user("quiet@example.com")
    take_part(ing, quiet, "Quiet")
    formula = make_user("evil@example.com")
    take_part(ing, formula, "=HYPERLINK(1)", marketing=True)
    csv = client_for(ing, owner).get("/console/people/news-contacts.csv").getvalue().decode()
    assert participant.email in csv
    assert "quiet@example.com" not in csv
    assert "'=HYPERLINK(1)" in csv


def test_memberships_do_not_make_a_participant(ing, owner, moderator, client_for):
    assert moderator.email not in client_for(ing, owner).get("/console/people/").text
    with scope(tenant=ing):
        assert Membership.objects.filter(user=moderator).exists()
