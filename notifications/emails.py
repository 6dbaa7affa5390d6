"""The e-mails themselves: a notification's or a digest's, text and HTML, in the
recipient's language, in the tenant's colours, from "<Tenant> via <platform>"."""

from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications import services
from notifications.events import all_events, get_event, in_app_text, render_plain
from notifications.models import Digest, EmailDelivery, Notification
from tenants.selectors import primary_hostname, tenant_url


def recipient_language(user, tenant) -> str:
    return user.language or tenant.default_language or settings.LANGUAGE_CODE


def build_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    """The message for a delivery, or None when there is nobody to send it to."""
    recipient, tenant = delivery.recipient, delivery.tenant
    if not recipient.is_active or not recipient.email:
        return None
    language = recipient_language(recipient, tenant)
    with translation.override(language), timezone.override(tenant.time_zone):
        if delivery.notification_id:
            subject, text, html, unsubscribe_url = _notification_parts(delivery.notification)
        else:
            subject, text, html, unsubscribe_url = _digest_parts(delivery.digest)

    headers = {
        # A stable id: should a message ever leave twice, mail clients show it once.
        "Message-ID": f"<{delivery.public_id}@{primary_hostname(tenant)}>",
        "Auto-Submitted": "auto-generated",
        "Content-Language": language,
    }
    if unsubscribe_url:
        # RFC 8058: mail clients offer a one-click "unsubscribe" that POSTs here.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=services.sender_address(tenant),
        to=[recipient.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _base_context(tenant, recipient, *, unsubscribe_event: str | None) -> dict:
    root = tenant_url(tenant, "")  # https://<tenant's host>, looked up once
    logo_url = ""
    if tenant.logo:
        logo_url = tenant.logo.url
        if logo_url.startswith("/"):
            logo_url = root + logo_url
    unsubscribe_url = ""
    if unsubscribe_event is not None:
        token = services.unsubscribe_token(tenant=tenant, user=recipient, event=unsubscribe_event)
        unsubscribe_url = root + reverse("notifications:unsubscribe", kwargs={"token": token})
    return {
        "root_url": root,
        "tenant_name": tenant.name,
        "tenant_logo_url": logo_url,
        "brand_colour": tenant.primary_colour,
        "accent_colour": tenant.accent_colour,
        "platform_name": settings.PLATFORM_NAME,
        "site_url": root + "/",
        "recipient_name": getattr(recipient, "public_name", "") or recipient.email,
        "preferences_url": root + reverse("notifications:preferences"),
        "inbox_url": root + reverse("notifications:inbox"),
        "unsubscribe_url": unsubscribe_url,
    }


def _absolute(root: str, url: str) -> str:
    if not url:
        return ""
    return root + url if url.startswith("/") else url


def render_event_email(event_name: str, tenant, recipient, context: dict):
    """(subject, text, html, unsubscribe url) of one event's e-mail, in the
    active language. Also used by the tests that render every template."""
    spec = get_event(event_name)
    with timezone.override(tenant.time_zone):
        return _render_event_email(spec, tenant, recipient, context)


def _render_event_email(spec, tenant, recipient, context: dict):
    base = _base_context(
        tenant, recipient, unsubscribe_event=None if spec.transactional else spec.name
    )
    data = {**context, **base, "transactional": spec.transactional}
    data["action_url"] = _absolute(base["root_url"], context.get("url", ""))
    data["action_label"] = spec.action_label or ""
    subject = " ".join(render_plain(spec.subject_template, data).split())
    data["subject"] = subject
    data["body_text"] = render_plain(spec.text_template, data)
    text = render_plain("notifications/email/event.txt", data)
    html = render_to_string(spec.html_template, data)
    return subject, text, html, base["unsubscribe_url"]


def _notification_parts(notification: Notification):
    return render_event_email(
        notification.event, notification.tenant, notification.recipient, notification.context
    )


def _digest_parts(digest: Digest):
    """A digest groups its notifications by event, in the registry's order."""
    tenant = digest.tenant
    base = _base_context(tenant, digest.recipient, unsubscribe_event="*")
    order = {spec.name: index for index, spec in enumerate(all_events())}
    items = sorted(
        digest.notifications.all(), key=lambda n: (order.get(n.event, 999), n.created_at)
    )
    groups = []
    for event_name, notifications in groupby(items, key=lambda n: n.event):
        label = get_event(event_name).label if event_name in order else event_name
        groups.append(
            {
                "label": label,
                "items": [
                    {
                        "text": in_app_text(n.event, n.context),
                        "url": _absolute(base["root_url"], n.context.get("url", "")),
                        "created_at": n.created_at,
                    }
                    for n in notifications
                ],
            }
        )
    data = {
        **base,
        "digest": digest,
        "is_weekly": digest.kind == Digest.Kind.WEEKLY,
        "groups": groups,
        "count": len(items),
        "transactional": False,
    }
    subject = " ".join(render_plain("notifications/email/digest_subject.txt", data).split())
    data["subject"] = subject
    text = render_plain("notifications/email/digest.txt", data)
    html = render_to_string("notifications/email/digest.html", data)
    return subject, text, html, base["unsubscribe_url"]
