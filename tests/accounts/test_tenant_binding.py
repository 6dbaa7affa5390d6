"""Sessions and personal API tokens work on the tenant they were issued for, and
nowhere else: a cookie or token of one brand's site signs nobody in on another
brand's site or on the platform's host."""

import importlib

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scope, scopes_disabled

from accounts import services
from accounts.models import ApiToken, AuditEntry, User
from tests.accounts.test_signin_oauth import sign_in
from tests.conftest import host_of

pytestmark = pytest.mark.django_db


def carrying_the_cookie_of(client, host) -> Client:
    """Another host, presented with `client`'s session cookie (a copied cookie)."""
    other = Client(HTTP_HOST=host)
    other.cookies["sessionid"] = client.cookies["sessionid"].value
    return other


def token_trail(tenant) -> list[tuple[str, str]]:
    with scope(tenant=tenant):
        return list(
            AuditEntry.objects.filter(action__startswith="api_token.")
            .order_by("created_at")
            .values_list("action", "target_id")
        )


# --- Sessions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "participant", "stranger"])
def test_a_session_is_signed_out_on_another_brands_host(
    persona, ing, decathlon, request, client_for
):
    user = request.getfixturevalue(persona)
    home = client_for(ing, user)
    assert home.get("/api/v1/me").status_code == 200

    elsewhere = carrying_the_cookie_of(home, host_of(decathlon))
    response = elsewhere.get("/api/v1/me")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"
    assert elsewhere.get("/me/").status_code == 302  # to the sign-in page
    # The session itself is untouched on its own host.
    assert home.get("/api/v1/me").json()["email"] == user.email


def test_a_session_opened_by_a_real_sign_in_is_bound_to_its_host(
    ing, decathlon, fake_oauth, browser_on
):
    sign_in(browser_on, "google")
    home = browser_on.client("ing.localhost")
    assert home.get("/api/v1/me").status_code == 200

    assert carrying_the_cookie_of(home, "decathlon.localhost").get("/api/v1/me").status_code in (
        401,
        403,
    )


def test_sessions_of_the_platform_host_and_of_a_brand_do_not_cross(ing, client_for):
    operator = User.objects.create_superuser("operator@ruche.example", "pw-Secret-123")
    platform = client_for(None, operator)
    assert platform.get("/admin/").status_code == 200

    on_brand = carrying_the_cookie_of(platform, "ing.localhost")
    assert on_brand.get("/api/v1/me").status_code in (401, 403)
    brand = client_for(ing, operator)
    assert carrying_the_cookie_of(brand, "localhost").get("/admin/").status_code == 302


def test_a_session_with_no_host_on_record_is_signed_out(ing, participant):
    client = Client(HTTP_HOST="ing.localhost")
    client.force_login(participant)  # not through a host: nothing on record
    assert client.get("/api/v1/me").status_code in (401, 403)


# --- Personal API tokens ----------------------------------------------------------------------


def test_a_token_authenticates_on_its_tenant_only(ing, decathlon, participant, client_for):
    at_ing = client_for(ing, participant).post("/api/v1/me/token")
    assert at_ing.status_code == 201
    key = at_ing.json()["token"]

    def me(host):
        return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me")

    assert me("ing.localhost").json()["email"] == participant.email
    refused = me("decathlon.localhost")
    assert refused.status_code in (401, 403)
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert me("localhost").status_code == 404  # the platform's host has no API
    with scope(tenant=ing):
        assert ApiToken.objects.get(user=participant).key_digest != key  # a digest only


def test_each_brand_has_its_own_token_and_its_own_trail(ing, decathlon, participant, client_for):
    ing_client, decathlon_client = client_for(ing, participant), client_for(decathlon, participant)
    ing_key = ing_client.post("/api/v1/me/token").json()["token"]
    decathlon_key = decathlon_client.post("/api/v1/me/token").json()["token"]

    # Issuing at Decathlon did not revoke ING's; revoking at ING leaves Decathlon's.
    assert ing_client.delete("/api/v1/me/token").status_code == 204
    assert Client(HTTP_HOST="ing.localhost", HTTP_AUTHORIZATION=f"Token {ing_key}").get(
        "/api/v1/me"
    ).status_code in (401, 403)
    assert (
        Client(HTTP_HOST="decathlon.localhost", HTTP_AUTHORIZATION=f"Token {decathlon_key}")
        .get("/api/v1/me")
        .status_code
        == 200
    )
    person = str(participant.public_id)
    assert token_trail(ing) == [("api_token.issue", person), ("api_token.revoke", person)]
    assert token_trail(decathlon) == [("api_token.issue", person)]


def test_revoking_where_no_token_was_issued_writes_nothing(
    ing, decathlon, participant, stranger, client_for
):
    key = client_for(decathlon, stranger).post("/api/v1/me/token").json()["token"]

    assert client_for(ing, stranger).delete("/api/v1/me/token").status_code == 204

    assert token_trail(ing) == []  # ING's trail does not list Decathlon's people
    assert (
        Client(HTTP_HOST="decathlon.localhost", HTTP_AUTHORIZATION=f"Token {key}")
        .get("/api/v1/me")
        .status_code
        == 200
    )


def test_tokens_issued_before_are_moved_to_the_tenant_that_issued_them(
    ing, decathlon, participant, stranger
):
    """The data step of the migration: DRF's global tokens → per-tenant digests."""
    migration = importlib.import_module("accounts.migrations.0004_api_tokens_per_tenant")
    with scope(tenant=decathlon):
        services.audit_record(
            tenant=decathlon, actor=participant, action="api_token.issue", target=participant
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint, "
            "created timestamptz DEFAULT now())"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id) VALUES (%s, %s), (%s, %s)",
            ["a" * 40, participant.pk, "b" * 40, stranger.pk],
        )

    from django.apps import apps

    with scopes_disabled(), connection.schema_editor() as editor:
        migration.forwards(apps, editor)
        moved = list(ApiToken.objects.values_list("tenant", "user"))

    assert moved == [(decathlon.pk, participant.pk)]  # the stranger's had no record: dropped
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    ok = Client(HTTP_HOST="decathlon.localhost", HTTP_AUTHORIZATION=f"Token {'a' * 40}")
    assert ok.get("/api/v1/me").status_code == 200
    nope = Client(HTTP_HOST="ing.localhost", HTTP_AUTHORIZATION=f"Token {'a' * 40}")
    assert nope.get("/api/v1/me").status_code in (401, 403)
