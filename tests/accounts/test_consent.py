"""Consent per brand: accepted inline before a first contribution, versioned,
creating the participant profile."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from accounts import selectors, services
from accounts.models import AuditEntry, Consent, ParticipantProfile
from core.errors import DomainError

pytestmark = pytest.mark.django_db


def accept(client, **fields):
    data = {"version": "1", "accept": "on", "display_name": "Pat", "next": "/me/"}
    data.update(fields)
    return client.post("/consent/accept/", data)


def test_the_consent_page_shows_the_terms_until_accepted(ing, participant, client_for):
    client = client_for(ing, participant)
    assert 'name="version" value="1"' in client.get("/consent/?next=/me/").text
    accept(client)
    assert not client.get("/consent/?next=/me/").text.count('name="version"')


def test_accepting_records_time_and_version_and_creates_the_profile(ing, participant, client_for):
    client = client_for(ing, participant)
    response = accept(client, display_name="Pat R.", marketing_opt_in="on")

    assert response.status_code == 302
    assert response["Location"] == "/me/"
    with scope(tenant=ing):
        consent = Consent.objects.get(user=participant)
        profile = ParticipantProfile.objects.get(user=participant)
        assert AuditEntry.objects.filter(action="consent.accept").count() == 1
    assert consent.terms_version.version == 1
    assert consent.accepted_at is not None
    assert profile.display_name == "Pat R."
    assert profile.marketing_opt_in and profile.marketing_opt_in_at
    with scope(tenant=ing):
        assert selectors.has_accepted_current_terms(participant, ing)  # now allowed


def test_accepting_on_the_consent_page_goes_on_to_next(ing, participant, client_for):
    """The consent page's form posts with htmx: the answer goes on to `next`
    (the idea form, say), not a "thank you" with no way on."""
    client = client_for(ing, participant)
    response = client.post(
        "/consent/accept/",
        {"version": "1", "accept": "on", "display_name": "Pat", "next": "/me/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/me/"
    assert "Gracias: ya puedes participar." in client.get("/me/").text


def test_a_panel_with_nothing_waiting_is_swapped_and_triggers_an_event(
    ing, participant, client_for
):
    response = client_for(ing, participant).post(
        "/consent/accept/",
        {"version": "1", "accept": "on", "display_name": "Pat", "next": "/me/", "as_panel": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "ruche:terms-accepted"
    assert "consent-accepted" in response.text


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/phish", "//evil.example/phish", "http://decathlon.localhost/me/",
     "javascript:alert(1)", "\\\\evil.example"],
)  # fmt: skip
@pytest.mark.parametrize("htmx", [True, False])
def test_the_consent_goes_on_only_to_a_page_of_the_same_host(
    ing, participant, client_for, unsafe, htmx
):
    client = client_for(ing, participant)
    page = client.get("/consent/", {"next": unsafe}).text
    assert 'name="next" value="/"' in page
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        "/consent/accept/",
        {"version": "1", "accept": "on", "display_name": "Pat", "next": unsafe},
        **headers,
    )
    assert (response["HX-Redirect"] if htmx else response["Location"]) == "/"


def test_the_consent_page_of_an_accepted_person_goes_on_to_next(ing, participant, client_for):
    client = client_for(ing, participant)
    accept(client)
    response = client.get("/consent/", {"next": "/challenges/x/ideas/new/"})
    assert response.status_code == 302 and response["Location"] == "/challenges/x/ideas/new/"
    assert client_for(ing).get("/consent/").status_code == 302  # a visitor: to sign in


def test_not_ticking_the_box_writes_nothing(ing, participant, client_for):
    response = accept(client_for(ing, participant), accept="")
    assert response.status_code == 400
    assert "Tick the box" in response.text or "Marca la casilla" in response.text
    with scope(tenant=ing):
        assert not Consent.objects.exists()
        assert not ParticipantProfile.objects.exists()


def test_a_blank_public_name_is_refused(ing, make_user, client_for):
    nameless = make_user("nameless@example.com", display_name="")
    response = accept(client_for(ing, nameless), display_name="  ")
    assert response.status_code == 400
    with scope(tenant=ing):
        assert not ParticipantProfile.objects.exists()


def test_a_new_version_asks_again(ing, owner, participant, client_for):
    client = client_for(ing, participant)
    accept(client)
    with scope(tenant=ing):
        services.terms_publish(tenant=ing, terms="New rules", privacy_notice="Same", actor=owner)
    page = client.get("/consent/?next=/me/").text
    assert 'name="version" value="2"' in page
    assert "New rules" in page
    # Accepting the version read before the change is refused, clearly.
    stale = accept(client, version="1")
    assert stale.status_code == 400
    accept(client, version="2")
    with scope(tenant=ing):
        assert sorted(
            Consent.objects.filter(user=participant).values_list(
                "terms_version__version", flat=True
            )
        ) == [1, 2]
        assert ParticipantProfile.objects.filter(user=participant).count() == 1


def test_consent_is_per_tenant(ing, decathlon, participant, client_for):
    accept(client_for(ing, participant))
    with scope(tenant=decathlon):
        assert not selectors.has_accepted_current_terms(participant, decathlon)
    page = client_for(decathlon, participant).get("/consent/?next=/me/").text
    assert 'name="version" value="1"' in page


def test_the_rule_is_the_same_for_templates_and_code(ing, participant):
    with scope(tenant=ing):
        assert not participant.has_perm("accounts.participate", ing)
        services.consent_accept(tenant=ing, user=participant, version=1, display_name="Pat")
        assert participant.has_perm("accounts.participate", ing)


def test_the_full_terms_page(ing, client_for):
    response = client_for(ing).get("/terms/")
    assert response.status_code == 200
    assert "ING Direct" in response.text


def test_console_publishes_terms_for_admins_only(ing, owner, moderator, stranger, client_for):
    data = {"terms": "Our terms", "privacy_notice": "Our privacy notice"}
    assert client_for(ing, moderator).post("/console/terms/", data).status_code == 403
    assert client_for(ing, stranger).post("/console/terms/", data).status_code == 404
    assert client_for(ing, owner).post("/console/terms/", {"terms": ""}).status_code == 400
    assert client_for(ing, owner).post("/console/terms/", data).status_code == 302
    with scope(tenant=ing):
        assert selectors.terms_current(tenant=ing).terms == "Our terms"


def test_profile_avatar_is_checked_by_content_and_re_encoded(ing, participant, client_for):
    import io

    from PIL import Image

    client = client_for(ing, participant)
    accept(client)
    fake = SimpleUploadedFile("me.png", b"<?php not an image", content_type="image/png")
    assert client.post("/me/", {"display_name": "Pat", "avatar": fake}).status_code == 400
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "orange").save(buffer, format="JPEG")
    photo = SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert client.post("/me/", {"display_name": "Pat", "avatar": photo}).status_code == 302
    with scope(tenant=ing):
        profile = ParticipantProfile.objects.get(user=participant)
    with Image.open(profile.avatar.path) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) == 256


def test_profile_update_needs_a_profile(ing, participant):
    with scope(tenant=ing), pytest.raises(DomainError):
        services.profile_update(tenant=ing, user=participant, display_name="X")


def test_api_accepts_the_terms(ing, participant, client_for):
    client = client_for(ing, participant)
    response = client.post(
        "/api/v1/me/consent", {"version": 1, "display_name": "Pat"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["version"] == 1
    me = client.get("/api/v1/me").json()
    assert me["terms_accepted"] is True
    assert me["profile"]["public_name"] == "Pat"
    bad = client.post("/api/v1/me/consent", {"version": 7}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "terms_changed"


def test_an_avatar_bomb_is_refused_with_its_reason(ing, participant, client_for):
    from tests.core.test_images import picture

    client = client_for(ing, participant)
    accept(client)
    bomb = picture(size=(8000, 6000), fmt="PNG", mode="1")
    response = client.post("/me/", {"display_name": "Pat", "avatar": bomb})
    assert response.status_code == 400
    assert "píxeles" in response.text  # ING speaks Spanish: "too many pixels"


def test_a_nul_byte_in_the_profile_name_is_a_field_error(ing, participant, client_for):
    client = client_for(ing, participant)
    client.cookies["django_language"] = "en"
    accept(client)
    response = client.post("/me/", {"display_name": "Pat\x00Evil"})
    assert response.status_code == 400
    assert "Remove the invisible character" in response.text
    assert 'class="field-error"' in response.text
    with scope(tenant=ing):
        assert ParticipantProfile.objects.get(user=participant).display_name == "Pat"


def test_a_nul_byte_in_the_name_given_with_consent_is_a_field_error(ing, participant, client_for):
    client = client_for(ing, participant)
    client.cookies["django_language"] = "en"
    response = accept(client, display_name="Pat\x00")
    assert response.status_code == 400
    assert "Remove the invisible character" in response.text
    with scope(tenant=ing):
        assert not Consent.objects.exists()
        assert not ParticipantProfile.objects.exists()
