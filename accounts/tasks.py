"""Work done after the request: the invitation e-mail to an address that has no
account yet (existing accounts are told through notifications)."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import Invitation
from core.tasks import tenant_task
from notifications.services import sender_address
from tenants.selectors import tenant_url


@tenant_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def invitation_email_send(*, tenant_id: int, invitation_id: int) -> bool:
    """Idempotent enough: an invitation no longer pending is not sent; a retry
    after a lost connection may send the same link twice, which is harmless."""
    from accounts.services import invitation_path

    invitation = (
        Invitation.objects.filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .select_related("tenant", "invited_by")
        .first()
    )
    if invitation is None or invitation.is_expired:
        return False
    tenant = invitation.tenant
    with translation.override(tenant.default_language):
        context = {
            "tenant": tenant,
            "inviter_name": invitation.invited_by.public_name
            if invitation.invited_by
            else tenant.name,
            "role": invitation.get_role_display(),
            "url": tenant_url(tenant, invitation_path(invitation)),
            "expires_at": invitation.expires_at,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=sender_address(tenant), to=[invitation.email]
    )
    message.send()
    return True
