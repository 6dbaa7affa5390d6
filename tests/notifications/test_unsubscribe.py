"""One-click unsubscribing: a signed link that works signed out, and RFC 8058's
POST from mail clients."""

import pytest
from django.core import mail
from django_scopes import scope

from notifications import services
from notifications.models import DeliveryMode, Preference

pytestmark = pytest.mark.django_db

IDEA = {"idea_title": "Redondea", "url": "/ideas/1/"}


def _unsubscribe_path(tenant, user, event=None):
    token = services.unsubscribe_token(tenant=tenant, user=user, event=event)
    return f"/notifications/unsubscribe/{token}/"


def _delivery_of(tenant, user, event):
    with scope(tenant=tenant):
        return Preference.objects.filter(tenant=tenant, user=user, event=event).first()


def test_the_link_in_the_email_works_signed_out(ing, participant, client_for):
    notification = services.notify(
        recipient=participant, event="idea.approved", tenant=ing, context=IDEA
    )
    with scope(tenant=ing):
        services.email_deliver(delivery_id=notification.email.pk)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix("https://ing.localhost")

    visitor = client_for(ing)
    page = visitor.get(path)
    assert page.status_code == 200
    assert _delivery_of(ing, participant, "idea.approved") is None  # a GET changes nothing

    done = visitor.post(path)
    assert done.status_code == 200
    assert _delivery_of(ing, participant, "idea.approved").delivery == DeliveryMode.IN_APP
    # The bell still tells; the e-mail no longer comes.
    again = services.notify(recipient=participant, event="idea.approved", tenant=ing, context=IDEA)
    assert again is not None
    with scope(tenant=ing):
        assert not hasattr(again, "email") or again.email is None


def test_rfc_8058_one_click_post(ing, participant, client_for):
    response = client_for(ing, enforce_csrf_checks=True).post(
        _unsubscribe_path(ing, participant, "comment.reply"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert _delivery_of(ing, participant, "comment.reply").delivery == DeliveryMode.IN_APP


def test_the_digest_link_stops_every_optional_email(ing, participant, client_for):
    client_for(ing).post(_unsubscribe_path(ing, participant))
    with scope(tenant=ing):
        chosen = dict(Preference.objects.filter(user=participant).values_list("event", "delivery"))
    assert chosen["comment.on_my_idea"] == DeliveryMode.IN_APP
    assert "payout.paid" not in chosen  # transactional: untouched
    assert set(chosen.values()) == {DeliveryMode.IN_APP}


def test_a_tampered_token_is_refused(ing, participant, client_for):
    path = _unsubscribe_path(ing, participant, "idea.approved")
    response = client_for(ing).post(path.replace("/unsubscribe/", "/unsubscribe/x"))
    assert response.status_code == 400
    assert _delivery_of(ing, participant, "idea.approved") is None


def test_a_token_of_another_tenant_is_refused(ing, decathlon, participant, client_for):
    response = client_for(decathlon).post(_unsubscribe_path(ing, participant, "idea.approved"))
    assert response.status_code == 400
    with scope(tenant=decathlon):
        assert not Preference.objects.exists()
