"""notify(): what it records, what it sends, and what preferences change."""

import pytest
from django.core import mail
from django_scopes import scope

from notifications import services
from notifications.events import UnknownEvent
from notifications.models import DeliveryMode, EmailDelivery, Notification

pytestmark = pytest.mark.django_db

IDEA = {"idea_title": "Redondea tus compras", "url": "/ideas/1/"}


def _deliver(notification):
    with scope(tenant=notification.tenant):
        return services.email_deliver(delivery_id=notification.email.pk)


def test_notify_records_the_bell_item_and_queues_one_email(
    ing, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = services.notify(
            recipient=participant, event="idea.approved", tenant=ing, context=IDEA
        )
    assert len(callbacks) == 1  # the e-mail task, queued after commit
    with scope(tenant=ing):
        assert Notification.objects.get() == notification
        assert notification.email.status == EmailDelivery.Status.PENDING
    assert notification.in_app and not notification.is_read


def test_the_email_speaks_the_recipients_language_from_the_tenant(ing, participant):
    notification = services.notify(
        recipient=participant, event="idea.approved", tenant=ing, context=IDEA
    )
    assert _deliver(notification) == "sent"
    [message] = mail.outbox
    # Pat chose no language: ING's default, Spanish.
    assert message.subject == "Tu idea «Redondea tus compras» está publicada"
    assert message.from_email == "ING Direct via Ruche <no-reply@localhost>"
    assert message.to == [participant.email]
    assert "Hola, Pat:" in message.body
    assert "https://ing.localhost/ideas/1/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert 'lang="es"' in html and "ING Direct" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://ing.localhost/notifications/unsubscribe/"
    )


def test_the_persons_own_language_wins(ing, make_user):
    marc = make_user("marc@example.com", language="fr")
    notification = services.notify(recipient=marc, event="idea.approved", tenant=ing, context=IDEA)
    _deliver(notification)
    assert mail.outbox[0].subject == "Votre idée « Redondea tus compras » est publiée"


def test_a_delivery_is_sent_once_however_often_the_task_runs(ing, participant):
    notification = services.notify(
        recipient=participant, event="idea.approved", tenant=ing, context=IDEA
    )
    assert _deliver(notification) == "sent"
    assert _deliver(notification) == "not_claimed"
    assert len(mail.outbox) == 1


def test_notify_takes_the_tenant_of_the_scope(ing, participant):
    with scope(tenant=ing):
        notification = services.notify(recipient=participant, event="idea.approved", context=IDEA)
    assert notification.tenant == ing


def test_notify_refuses_a_tenant_other_than_the_scopes(ing, decathlon, participant):
    with scope(tenant=decathlon), pytest.raises(ValueError, match="inside the scope"):
        services.notify(recipient=participant, event="idea.approved", tenant=ing, context=IDEA)


def test_notify_without_a_tenant_refuses(participant):
    with pytest.raises(ValueError, match="needs a tenant"):
        services.notify(recipient=participant, event="idea.approved", context=IDEA)


def test_unknown_event_and_missing_context_are_refused(ing, participant):
    with pytest.raises(UnknownEvent):
        services.notify(recipient=participant, event="idea.exploded", tenant=ing)
    with pytest.raises(ValueError, match="idea_title"):
        services.notify(recipient=participant, event="idea.approved", tenant=ing, context={})


def test_dedupe_key_notifies_once(ing, participant):
    first = services.notify(
        recipient=participant, event="idea.approved", tenant=ing, context=IDEA, dedupe_key="k1"
    )
    again = services.notify(
        recipient=participant, event="idea.approved", tenant=ing, context=IDEA, dedupe_key="k1"
    )
    assert again == first
    with scope(tenant=ing):
        assert Notification.objects.count() == 1
        assert EmailDelivery.objects.count() == 1


@pytest.mark.parametrize(
    ("delivery", "in_app", "emails", "digest_kind"),
    [
        (DeliveryMode.OFF, 0, 0, None),
        (DeliveryMode.IN_APP, 1, 0, ""),
        (DeliveryMode.IMMEDIATE, 1, 1, ""),
        (DeliveryMode.DAILY, 1, 0, "daily"),
        (DeliveryMode.WEEKLY, 1, 0, "weekly"),
    ],
)
def test_preferences_decide_the_channels(ing, participant, delivery, in_app, emails, digest_kind):
    with scope(tenant=ing):
        services.preference_set(
            tenant=ing, user=participant, event="idea.approved", delivery=delivery
        )
    notification = services.notify(
        recipient=participant, event="idea.approved", tenant=ing, context=IDEA
    )
    with scope(tenant=ing):
        assert Notification.objects.count() == in_app
        assert EmailDelivery.objects.count() == emails
    if digest_kind is None:
        assert notification is None
    else:
        assert notification.digest_kind == digest_kind


def test_preferences_are_per_tenant(ing, decathlon, participant):
    with scope(tenant=ing):
        services.preference_set(
            tenant=ing, user=participant, event="idea.approved", delivery=DeliveryMode.OFF
        )
    assert (
        services.notify(recipient=participant, event="idea.approved", tenant=ing, context=IDEA)
        is None
    )
    assert services.notify(
        recipient=participant, event="idea.approved", tenant=decathlon, context=IDEA
    )


def test_transactional_events_cannot_be_turned_off(ing, participant):
    with scope(tenant=ing), pytest.raises(services.NotificationError) as error:
        services.preference_set(
            tenant=ing, user=participant, event="payout.paid", delivery=DeliveryMode.OFF
        )
    assert error.value.code == "transactional"
    notification = services.notify(
        recipient=participant, event="payout.paid", tenant=ing, context={"amount": "500 EUR"}
    )
    _deliver(notification)
    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers


def test_sign_in_code_goes_by_email_only(ing, participant):
    notification = services.notify(
        recipient=participant, event="account.sign_in_code", tenant=ing, context={"code": "123 456"}
    )
    assert not notification.in_app
    _deliver(notification)
    assert "123 456" in mail.outbox[0].body
    assert "123 456" in mail.outbox[0].alternatives[0][0]
    notification.refresh_from_db()
    assert notification.context == {}  # the code is not kept once sent


def test_inactive_people_are_not_notified(ing, participant):
    participant.is_active = False
    participant.save(update_fields=["is_active"])
    assert (
        services.notify(recipient=participant, event="idea.approved", tenant=ing, context=IDEA)
        is None
    )


def test_a_permanent_smtp_refusal_fails_without_retry(ing, participant, settings, monkeypatch):
    import smtplib

    notification = services.notify(
        recipient=participant, event="idea.approved", tenant=ing, context=IDEA
    )

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPDataError(550, b"mailbox unavailable")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    assert _deliver(notification) == "failed"
    with scope(tenant=ing):
        delivery = EmailDelivery.objects.get()
    assert delivery.attempts == 1
    assert "550" in delivery.last_error


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        ("smtplib.SMTPDataError(451, b'later')", True),
        ("smtplib.SMTPDataError(554, b'no')", False),
        ("smtplib.SMTPServerDisconnected('gone')", True),
        ("ConnectionRefusedError()", True),
        ("TimeoutError()", True),
        ("smtplib.SMTPRecipientsRefused({'a@b.c': (450, b'busy')})", True),
        ("smtplib.SMTPRecipientsRefused({'a@b.c': (550, b'no such user')})", False),
        ("ValueError('template bug')", False),
    ],
)
def test_transient_errors_are_told_apart(error, transient):
    import smtplib  # noqa: F401 - used by eval

    assert services.is_transient(eval(error)) is transient  # noqa: S307
