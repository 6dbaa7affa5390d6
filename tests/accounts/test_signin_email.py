"""E-mail sign-in (a code, or a password), its rate limits and lockout, and the
refusal of disposable addresses per tenant."""

import re

import pytest
from django.core import mail
from django_scopes import scope

from accounts import services
from accounts.models import User

pytestmark = pytest.mark.django_db


def code_from(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", message.body, re.M).group(1)


def test_sign_in_with_a_code_by_e_mail(ing, participant, client_for):
    client = client_for(ing)
    response = client.post("/accounts/login/code/?next=/me/", {"email": participant.email})
    assert response.status_code == 302
    code = code_from(mail.outbox[-1])
    confirmed = client.post(response["Location"], {"code": code})
    assert confirmed.status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)


def test_a_wrong_code_three_times_voids_it(ing, participant, client_for):
    client = client_for(ing)
    response = client.post("/accounts/login/code/", {"email": participant.email})
    confirm = response["Location"]
    for _ in range(3):
        client.post(confirm, {"code": "WRONG1"})
    code = code_from(mail.outbox[-1])
    client.post(confirm, {"code": code})
    assert "_auth_user_id" not in client.session


def test_code_requests_are_rate_limited_per_address(ing, participant, client_for):
    statuses = [
        client_for(ing).post("/accounts/login/code/", {"email": participant.email}).status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3] in (200, 429)  # the form says so, or 429
    assert len(mail.outbox) == 3


def test_failed_passwords_lock_the_address(ing, participant, client_for):
    client = client_for(ing)
    for _ in range(5):
        client.post("/accounts/login/", {"login": participant.email, "password": "wrong"})
    locked = client.post(
        "/accounts/login/", {"login": participant.email, "password": "pw-Secret-123"}
    )
    assert "_auth_user_id" not in client.session
    assert locked.status_code in (200, 429)
    # Another address is not locked.
    other = services.user_create(email="other@example.com", password="pw-Secret-123")
    client.post("/accounts/login/", {"login": other.email, "password": "pw-Secret-123"})
    assert client.session["_auth_user_id"] == str(other.pk)


def test_signing_up_by_e_mail_needs_the_code_no_password(ing, client_for):
    client = client_for(ing)
    response = client.post("/accounts/signup/", {"email": "new@example.com"})
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session  # not before the code
    code = code_from(mail.outbox[-1])
    client.post(response["Location"], {"code": code})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_tenant_may_refuse_disposable_addresses(ing, decathlon, owner, client_for):
    with scope(tenant=ing):
        services.signin_policy_update(
            tenant=ing, refuse_disposable_emails=True, staff_email_domains="", actor=owner
        )
    refused = client_for(ing).post("/accounts/signup/", {"email": "x@mailinator.com"})
    assert refused.status_code == 200
    assert not User.objects.filter(email="x@mailinator.com").exists()
    accepted = client_for(decathlon).post("/accounts/signup/", {"email": "x@mailinator.com"})
    assert accepted.status_code == 302


def test_the_login_page_offers_one_click_and_e_mail(ing, client_for):
    page = client_for(ing).get("/accounts/login/?next=/me/").text
    for provider in ("google", "facebook", "twitter_oauth2", "demo"):
        assert f'data-provider="{provider}"' in page
    assert 'name="next" value="/me/"' in page
    assert "/accounts/login/code/" in page


def test_staff_are_recognised_by_verified_domain_or_company_sign_in(ing, owner, make_user):
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    with scope(tenant=ing):
        services.signin_policy_update(
            tenant=ing, refuse_disposable_emails=False, staff_email_domains="ing.es, @ING.com",
            actor=owner,
        )  # fmt: skip
    staff = make_user("lucia@ing.es")
    unverified = make_user("pablo@ing.com")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    sso = make_user("carmen@example.com")
    SocialAccount.objects.create(user=sso, provider="ing-sso", uid="1")
    outsider = make_user("sam@example.com")
    with scope(tenant=ing):
        assert staff.has_perm("accounts.enter_staff_challenge", ing)
        assert sso.has_perm("accounts.enter_staff_challenge", ing)
        assert not unverified.has_perm("accounts.enter_staff_challenge", ing)
        assert not outsider.has_perm("accounts.enter_staff_challenge", ing)


def test_bad_staff_domains_are_refused(ing, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/sign-in/policy/", {"staff_email_domains": "not a domain"}
    )
    assert response.status_code == 400


def test_allauths_e_mails_name_the_brand_not_example_com(ing, participant, client_for):
    client = client_for(ing)
    client.post("/accounts/login/code/", {"email": participant.email})
    message = mail.outbox[-1]
    assert message.subject.startswith("[ING Direct] ")
    assert "example.com" not in message.subject + message.body
    assert "ING Direct" in message.body
    assert "ing.localhost" in message.body
