"""The brand's API keys: made and revoked by the brand's owner or
administrators, shown once, kept hashed, valid on the brand's hosts only,
limited by their scopes and their rate, each use in the brand's trail."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_scopes import scope

from accounts import services
from accounts.models import AuditEntry, BrandApiKey
from tests.campaigns.test_api import payload

KEYS = "/api/v1/console/api-keys"
TEAM = "/api/v1/console/team"  # a read of the console (any team role)
CHALLENGES = "/api/v1/console/challenges"  # writing needs an administrator


def make_key(tenant, by, scopes=("read",), **extra) -> str:
    with scope(tenant=tenant):
        _key, presented = services.api_key_create(
            tenant=tenant, name="CRM sync", scopes=list(scopes), created_by=by, **extra
        )
    return presented


def with_key(tenant, presented: str) -> Client:
    from tests.conftest import host_of

    return Client(HTTP_HOST=host_of(tenant), HTTP_AUTHORIZATION=f"Bearer {presented}")


def trail(tenant, *actions) -> list[AuditEntry]:
    with scope(tenant=tenant):
        return list(AuditEntry.objects.filter(action__in=actions).order_by("created_at", "id"))


# --- Managing keys ---------------------------------------------------------------------


def test_owner_creates_a_key_shown_once_and_stored_hashed(ing, owner, client_for):
    client = client_for(ing, owner)
    response = client.post(
        KEYS, {"name": "CRM sync", "scopes": ["read"]}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    presented = body["key"]
    assert presented.startswith(f"rk_{body['prefix']}_")
    assert body["scopes"] == ["read"] and body["status"] == "active"

    # Never again: not in the list, not in the key's own page.
    assert "key" not in client.get(KEYS).json()[0]
    assert presented not in client.get(f"{KEYS}/{body['id']}").content.decode()
    with scope(tenant=ing):
        stored = BrandApiKey.objects.get(public_id=body["id"])
    assert presented not in {stored.key_digest, stored.prefix}
    assert len(stored.key_digest) == 64 and services.api_key_matches(stored, presented)
    assert not services.api_key_matches(stored, presented[:-1] + "x")
    assert [e.action for e in trail(ing, "api_key.create")] == ["api_key.create"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "scopes": ["read"]}, "name"),
        ({"name": "CRM", "scopes": []}, "scopes"),
        ({"name": "CRM", "scopes": ["everything"]}, "scopes"),
        ({"name": "CRM", "scopes": ["read"], "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "CRM", "scopes": ["read"], "expires_at": "soon"}, "expires_at"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(ing, owner, client_for, body, field):
    response = client_for(ing, owner).post(KEYS, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    with scope(tenant=ing):
        assert not BrandApiKey.objects.exists()


def test_who_may_manage_keys(ing, owner, admin, moderator, participant, stranger, client_for):
    presented = make_key(ing, owner, scopes=["read", "console_write"])
    with scope(tenant=ing):
        key_id = BrandApiKey.objects.get().public_id
    assert client_for(ing, admin).get(KEYS).status_code == 200
    assert client_for(ing, moderator).get(KEYS).status_code == 403
    assert client_for(ing, participant).get(KEYS).status_code == 404  # no console for them
    assert client_for(ing).get(KEYS).status_code in (401, 403)
    assert client_for(ing, stranger).get(KEYS).status_code == 404
    assert client_for(ing, stranger).delete(f"{KEYS}/{key_id}").status_code == 404
    # A key, even one that may change the console, does not make or revoke keys.
    refused = with_key(ing, presented).post(
        KEYS, {"name": "Mine", "scopes": ["read"]}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "api_key_not_allowed"


# --- Using keys ------------------------------------------------------------------------


def test_a_key_reads_the_console_of_its_brand(ing, owner, client_for):
    response = with_key(ing, make_key(ing, owner)).get(TEAM)
    assert response.status_code == 200
    assert [m["role"] for m in response.json()] == ["owner"]


def test_a_key_of_brand_a_gets_404_on_brand_b_host(ing, decathlon, owner, stranger):
    presented = make_key(ing, owner, scopes=["read", "console_write"])
    response = with_key(decathlon, presented).get(TEAM)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # Even where a visitor is answered (Decathlon's public challenges), the key is not.
    assert with_key(decathlon, presented).get("/api/v1/challenges").status_code == 404
    assert Client(HTTP_HOST="decathlon.localhost").get("/api/v1/challenges").status_code == 200
    assert (
        with_key(decathlon, presented)
        .post(CHALLENGES, payload(), content_type="application/json")
        .status_code
        == 404
    )
    platform = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {presented}")
    assert platform.get(TEAM).status_code == 404
    assert trail(decathlon, "api_key.read", "api_key.write") == []


def test_a_read_only_key_cannot_write(ing, owner):
    client = with_key(ing, make_key(ing, owner, scopes=["read"]))
    response = client.post(CHALLENGES, payload(), content_type="application/json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "api_key_scope_missing"
    # In the brand's language (ING speaks Spanish), naming the missing scope.
    assert "Cambiar los ajustes y los retos de la consola" in error["message"]
    assert client.get(CHALLENGES).status_code == 200
    with scope(tenant=ing):
        from campaigns.models import Campaign

        assert not Campaign.objects.exists()


def test_a_console_write_key_writes_and_is_named_in_the_trail(ing, owner):
    client = with_key(ing, make_key(ing, owner, scopes=["read", "console_write"]))
    response = client.post(CHALLENGES, payload(), content_type="application/json")
    assert response.status_code == 201, response.json()
    [use] = trail(ing, "api_key.write")
    assert use.data == {
        "name": "CRM sync",
        "method": "POST",
        "path": CHALLENGES,
        "status": 201,
    }
    assert use.actor.display_name == "API key “CRM sync”"


def test_a_moderation_key_may_not_change_the_console(ing, owner):
    client = with_key(ing, make_key(ing, owner, scopes=["moderation"]))
    response = client.post(CHALLENGES, payload(), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "api_key_scope_missing"
    # Nor read it: reading is a scope of its own.
    assert client.get(TEAM).status_code == 403


def test_payouts_need_the_payouts_scope_even_to_read(ing, owner):
    assert with_key(ing, make_key(ing, owner)).get("/api/v1/console/payouts").status_code == 403
    payouts = with_key(ing, make_key(ing, owner, scopes=["payouts"]))
    assert payouts.get("/api/v1/console/payouts").status_code == 200


def test_a_key_cannot_act_as_a_person(ing, owner):
    """A person's own actions (here: taking a personal token; voting and
    submitting alike) refuse a key, whatever its scopes; public reads answer it
    as they answer a visitor."""
    client = with_key(ing, make_key(ing, owner, scopes=["read", "console_write", "moderation"]))
    response = client.post("/api/v1/me/token")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "api_key_not_allowed"
    assert client.get("/api/v1/challenges").status_code == 200
    assert client.get("/api/v1/me").status_code in (401, 403)


def test_revoked_and_expired_keys_are_refused(ing, owner, client_for):
    revoked = make_key(ing, owner)
    expired = make_key(ing, owner, expires_at=timezone.now() + timedelta(minutes=5))
    assert with_key(ing, revoked).get(TEAM).status_code == 200
    with scope(tenant=ing):
        key = BrandApiKey.objects.get(key_digest=services.api_key_digest(revoked))
        client_for(ing, owner).delete(f"{KEYS}/{key.public_id}")
        BrandApiKey.objects.filter(key_digest=services.api_key_digest(expired)).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    for presented, message in ((revoked, "revocada"), (expired, "caducado")):  # ING: Spanish
        response = with_key(ing, presented).get(TEAM)
        # 403 rather than 401 (DRF): sessions come first and send no challenge.
        assert response.status_code in (401, 403)
        assert response.json()["error"]["code"] == "authentication_failed"
        assert message in response.json()["error"]["message"]
    assert with_key(ing, revoked[:-2] + "zz").get(TEAM).status_code in (401, 403)
    assert [e.action for e in trail(ing, "api_key.revoke")] == ["api_key.revoke"]


@override_settings(RATE_LIMITS={"api_keys": "3/m/person"})
def test_the_rate_limit_is_per_key(ing, owner):
    first, second = make_key(ing, owner), make_key(ing, owner)
    answers = [with_key(ing, first).get(TEAM).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = with_key(ing, first).get(TEAM)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
    assert with_key(ing, second).get(TEAM).status_code == 200  # its own count


def test_every_write_is_audited_and_reads_once_a_minute(ing, owner):
    presented = make_key(ing, owner, scopes=["read"])
    client = with_key(ing, presented)
    for _ in range(3):
        assert client.get(TEAM).status_code == 200
    assert client.post(CHALLENGES, payload(), content_type="application/json").status_code == 403
    assert client.post(CHALLENGES, payload(), content_type="application/json").status_code == 403
    reads, writes = trail(ing, "api_key.read"), trail(ing, "api_key.write")
    assert len(reads) == 1 and reads[0].data["path"] == TEAM  # sampled: the first of the minute
    assert [w.data["status"] for w in writes] == [403, 403]  # refused writes too
    with scope(tenant=ing):
        key = BrandApiKey.objects.get()
        first_use = key.last_used_at
        assert first_use is not None
        # A minute later, the next read updates the last use and is recorded.
        BrandApiKey.objects.filter(pk=key.pk).update(last_used_at=first_use - timedelta(minutes=2))
    client.get(TEAM)
    assert len(trail(ing, "api_key.read")) == 2
    with scope(tenant=ing):
        assert BrandApiKey.objects.get().last_used_at > first_use


def test_last_use_is_written_at_most_once_a_minute(ing, owner):
    presented = make_key(ing, owner)
    client = with_key(ing, presented)
    client.get(TEAM)
    with scope(tenant=ing):
        key = BrandApiKey.objects.get()
        before = key.last_used_at
        assert services.api_key_touch(key=key) is False  # no write within the minute
    client.get(TEAM)
    with scope(tenant=ing):
        assert BrandApiKey.objects.get().last_used_at == before


# --- The console page ------------------------------------------------------------------

PAGE = "/console/api-keys/"


def test_console_page_personas(ing, owner, admin, moderator, participant, stranger, client_for):
    assert client_for(ing, owner).get(PAGE).status_code == 200
    assert client_for(ing, admin).get(PAGE).status_code == 200
    assert client_for(ing, moderator).get(PAGE).status_code == 403
    assert client_for(ing, participant).get(PAGE).status_code == 404
    assert client_for(ing, stranger).get(PAGE).status_code == 404
    assert client_for(ing).get(PAGE).status_code == 302  # to sign in


def test_console_creates_a_key_shown_on_that_answer_only(ing, owner, client_for):
    client = client_for(ing, owner)
    response = client.post(PAGE, {"name": "Data warehouse", "scopes": ["read"], "expiry": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    with scope(tenant=ing):
        key = BrandApiKey.objects.get()
    page = response.content.decode()
    secret = page.split('class="api-key-secret" value="')[1].split('"')[0]
    assert secret.startswith(f"rk_{key.prefix}_") and services.api_key_matches(key, secret)
    assert secret not in client.get(PAGE).content.decode()
    assert (key.expires_at - timezone.now()).days in (89, 90)
    assert with_key(ing, secret).get(TEAM).status_code == 200


def test_console_refuses_bad_input_and_writes_nothing(ing, owner, client_for):
    client = client_for(ing, owner)
    response = client.post(PAGE, {"name": "", "scopes": [], "expiry": "7"})
    assert response.status_code == 400
    response = client.post(PAGE, {"name": "", "scopes": [], "expiry": "90"})
    assert response.status_code == 400
    assert "Elige al menos un permiso." in response.content.decode()  # ING speaks Spanish
    with scope(tenant=ing):
        assert not BrandApiKey.objects.exists()


def test_console_revokes_after_a_confirmation(ing, owner, stranger, client_for):
    presented = make_key(ing, owner)
    with scope(tenant=ing):
        key = BrandApiKey.objects.get()
    url = f"/console/api-keys/{key.public_id}/revoke/"
    assert client_for(ing, stranger).post(url).status_code == 404
    confirm = client_for(ing, owner).get(url)
    assert confirm.status_code == 200 and "No se puede deshacer" in confirm.content.decode()
    with scope(tenant=ing):
        assert BrandApiKey.objects.get().revoked_at is None  # asking changes nothing
    assert client_for(ing, owner).post(url).status_code == 302
    with scope(tenant=ing):
        assert BrandApiKey.objects.get().revoked_at is not None
    assert with_key(ing, presented).get(TEAM).status_code in (401, 403)


def test_the_schema_documents_the_key_scheme(ing, client_for):
    schema = client_for(ing).get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["brandApiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert {"brandApiKey": []} in schema["paths"]["/api/v1/console/team"]["get"]["security"]
