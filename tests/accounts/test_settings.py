"""The demo sign-in never reaches production; secrets are stored encrypted."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from accounts.checks import demo_sign_in_is_deliberate
from accounts.crypto import SecretUnreadable, decrypt_secret, encrypt_secret

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-long-random-production-secret-key-with-enough-entropy-0123456789"


def run_check(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEMO_SIGN_IN"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY=SECRET, **env
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_refuses_to_start_with_the_demo_sign_in():
    result = run_check(DEMO_SIGN_IN="true")
    assert result.returncode != 0
    assert "DEMO_SIGN_IN cannot be enabled with production settings" in result.stderr


def test_production_starts_without_it():
    result = run_check()
    assert result.returncode == 0, result.stderr


def test_the_demo_provider_installed_without_permission_is_an_error():
    # The test settings install the demo provider: turning DEMO_SIGN_IN off
    # leaves it installed without permission.
    with override_settings(DEMO_SIGN_IN=False, DEMO_SIGN_IN_ALLOWED=False):
        assert [e.id for e in demo_sign_in_is_deliberate()] == ["accounts.E001"]
    with override_settings(DEMO_SIGN_IN=True, DEMO_SIGN_IN_ALLOWED=False):
        assert "accounts.E002" in [e.id for e in demo_sign_in_is_deliberate()]
    assert demo_sign_in_is_deliberate() == []  # the test settings allow it


def test_secrets_round_trip_and_rotate(settings):
    settings.SIGNIN_SECRETS_KEYS = ["old-key"]
    stored = encrypt_secret("client-secret")
    assert "client-secret" not in stored
    settings.SIGNIN_SECRETS_KEYS = ["new-key", "old-key"]
    assert decrypt_secret(stored) == "client-secret"
    settings.SIGNIN_SECRETS_KEYS = ["new-key"]
    with pytest.raises(SecretUnreadable):
        decrypt_secret(stored)


@pytest.mark.django_db
def test_the_console_stores_a_brands_secret_encrypted_and_never_shows_it(
    ing, owner, moderator, client_for
):
    from django_scopes import scope

    from accounts.models import ProviderCredential

    data = {"client_id": "ing-google", "secret": "top-secret-value", "enabled": "on"}
    assert client_for(ing, moderator).post("/console/sign-in/google/", data).status_code == 403
    assert (
        client_for(ing, owner).post("/console/sign-in/google/", {"client_id": ""}).status_code
        == 400
    )
    assert client_for(ing, owner).post("/console/sign-in/google/", data).status_code == 302
    with scope(tenant=ing):
        credential = ProviderCredential.objects.get(provider="google")
    assert "top-secret-value" not in credential.secret_encrypted
    page = client_for(ing, owner).get("/console/sign-in/").text
    assert "top-secret-value" not in page
    assert "http://localhost/accounts/google/login/callback/" in page
    # A blank secret keeps the stored one.
    keep = {"client_id": "ing-google-2", "secret": "", "enabled": "on"}
    assert client_for(ing, owner).post("/console/sign-in/google/", keep).status_code == 302
    bad_issuer = {"client_id": "x", "secret": "y", "server_url": "http://idp.example.com"}
    assert (
        client_for(ing, owner).post("/console/sign-in/openid_connect/", bad_issuer).status_code
        == 400
    )


@pytest.mark.django_db
def test_an_overlong_client_id_is_a_field_error(ing, owner, client_for):
    from django_scopes import scope

    from accounts.models import ProviderCredential

    data = {"client_id": "x" * 256, "secret": "top-secret-value", "enabled": "on"}
    response = client_for(ing, owner).post("/console/sign-in/google/", data)
    assert response.status_code == 400
    with scope(tenant=ing):
        assert not ProviderCredential.objects.exists()
