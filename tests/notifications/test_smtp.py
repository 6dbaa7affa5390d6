"""E-mail through a real SMTP server on the loopback (aiosmtpd), sent by a real
Celery worker: it arrives once, with both parts, in the recipient's language,
and a server that says "try later" once still gets exactly one message."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django_scopes import scope

from notifications import services, tasks
from notifications.models import EmailDelivery
from tests.waiting import wait_for

IDEA = {"idea_title": "Arrondir ses achats", "url": "/ideas/7/"}


class Mailbox:
    """An SMTP handler that keeps what it accepts, and can refuse with a 4xx."""

    def __init__(self):
        self.messages = []
        self.refuse_next = 0
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailbox(settings):
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFICATIONS_EMAIL_RETRY_DELAYS = [0.2]
    yield handler
    controller.stop()


def _delivery(tenant):
    with scope(tenant=tenant):
        return EmailDelivery.objects.get()


def test_message_arrives_once_with_both_parts_in_the_recipients_language(
    celery_worker, drain, mailbox, ing, make_user
):
    marc = make_user("marc@example.com", display_name="Marc", language="fr")
    notification = services.notify(recipient=marc, event="idea.approved", tenant=ing, context=IDEA)
    wait_for(lambda: _delivery(ing).status == EmailDelivery.Status.SENT)

    # The same task once more (a duplicate, a redelivery): nothing leaves.
    delivery = _delivery(ing)
    tasks.email_send.delay(tenant_id=ing.pk, delivery_id=delivery.pk)
    drain()  # the duplicate has run

    [message] = mailbox.messages
    assert message["To"] == "marc@example.com"
    assert message["From"] == "ING Direct via Ruche <no-reply@localhost>"
    assert message["Subject"].strip() == "Votre idée « Arrondir ses achats » est publiée"
    assert message["Content-Language"] == "fr"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Bonjour Marc," in text
    assert "https://ing.localhost/ideas/7/" in text
    assert 'lang="fr"' in html
    assert "Votre idée" in html or "votre idée" in html
    assert mailbox.attempts == 1
    assert _delivery(ing).attempts == 1
    assert notification.email.pk == delivery.pk


def test_a_4xx_then_success_delivers_exactly_one_message(
    celery_worker, drain, mailbox, ing, make_user
):
    mailbox.refuse_next = 1
    ana = make_user("ana@example.com", display_name="Ana", language="es")
    services.notify(
        recipient=ana, event="idea.won", tenant=ing, context={**IDEA, "prize": "500 EUR"}
    )
    wait_for(lambda: _delivery(ing).status == EmailDelivery.Status.SENT)
    drain()  # anything queued after the success has run too

    assert mailbox.attempts == 2
    [message] = mailbox.messages
    assert message["Subject"].strip() == "¡Tu idea «Arrondir ses achats» gana 500 EUR!"
    delivery = _delivery(ing)
    assert delivery.attempts == 2
    assert "451" in delivery.last_error


def test_a_server_that_never_accepts_is_given_up_after_the_maximum(
    celery_worker, drain, mailbox, ing, make_user, settings
):
    settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 3
    mailbox.refuse_next = 10
    ana = make_user("ana@example.com", language="es")
    services.notify(recipient=ana, event="idea.approved", tenant=ing, context=IDEA)
    wait_for(lambda: _delivery(ing).status == EmailDelivery.Status.FAILED)
    drain()
    assert mailbox.attempts == 3
    assert mailbox.messages == []
