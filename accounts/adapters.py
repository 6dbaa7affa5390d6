"""allauth, adapted to tenants: per-tenant OAuth apps, the sign-in host's
handoff, disposable e-mail refusal, and the account model's fields.

See accounts.signin for the redirect-URI strategy.
"""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from accounts import selectors, signin
from accounts.services import clean_display_name
from tenants.selectors import primary_hostname


@dataclass(frozen=True)
class MailSite:
    """What allauth's e-mails call the site ("Hello from {{ current_site.name }}"):
    the brand the person signs in to, never django.contrib.sites' example.com."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        tenant = signin.tenant_for_request(self.request)
        if tenant is not None and selectors.email_refused_by(tenant, email):
            raise ValidationError(
                _("%(name)s does not accept disposable e-mail addresses. Please use another one.")
                % {"name": tenant.name}
            )
        return email

    def mail_site(self) -> MailSite:
        tenant = signin.tenant_for_request(self.request)
        if tenant is not None:
            return MailSite(name=tenant.name, domain=primary_hostname(tenant))
        return MailSite(name=settings.PLATFORM_NAME, domain=settings.PLATFORM_DOMAIN)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": self.mail_site()})

    def format_email_subject(self, subject: str) -> str:
        return f"[{self.mail_site().name}] {force_str(subject)}"

    def populate_username(self, request, user):
        """Our users have no username (the e-mail is the login)."""


class ProviderNotOffered(SocialApp.DoesNotExist, Http404):
    """No app for this provider here. Still the DoesNotExist that allauth's own
    views catch (OpenID Connect's turn it into a 404), and a 404 for the views
    that don't (the token and callback URLs of a provider nobody configured)."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    # --- Which app: the tenant's own, else the platform's --------------------------

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise ProviderNotOffered from None

    def list_apps(self, request, provider=None, client_id=None):
        tenant = signin.tenant_for_request(request)
        if tenant is None and provider:
            tenant = signin.tenant_of_oidc_provider_id(provider)
        apps = signin.apps_for(tenant)
        if provider:
            apps = [a for a in apps if provider in (a.provider, a.provider_id)]
        if client_id:
            apps = [a for a in apps if a.client_id == client_id]
        return apps

    # --- The person's details ---------------------------------------------------

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        extra = sociallogin.account.extra_data or {}
        extra = extra.get("userinfo") or extra.get("id_token") or extra
        name = (data.get("name") or extra.get("name") or "").strip()
        if not name:
            name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        user.display_name = clean_display_name(name)
        user.language = getattr(request, "LANGUAGE_CODE", "") or ""
        # X gives a confirmed address only with the users.email scope, as a field
        # allauth does not read: take it, it is verified by X.
        confirmed = extra.get("confirmed_email")
        if confirmed and not sociallogin.email_addresses:
            sociallogin.email_addresses.append(
                EmailAddress(email=confirmed.lower(), verified=True, primary=True)
            )
            user.email = confirmed.lower()
        return user

    # --- Refusals and errors, handed back to the tenant host -------------------------

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            return
        tenant = signin.tenant_for_request(request)
        # A refused address is already dropped by clean_email() when allauth
        # reads the profile: look at what the provider sent, to say why.
        extra = sociallogin.account.extra_data or {}
        sent = [extra, extra.get("userinfo") or {}, extra.get("id_token") or {}]
        emails = [a.email for a in sociallogin.email_addresses] + [
            str(d.get(k)) for d in sent if isinstance(d, dict)
            for k in ("email", "confirmed_email") if d.get(k)
        ]  # fmt: skip
        if tenant is not None and any(selectors.email_refused_by(tenant, e) for e in emails):
            self._hand_back(request, "disposable")

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        reason = "cancelled" if error == AuthError.CANCELLED else "failed"
        self._hand_back(request, reason)

    @staticmethod
    def _hand_back(request, reason: str) -> None:
        """Send the person back to the tenant they came from, with the reason;
        when we cannot tell which tenant (a forged or stale state), allauth's own
        error page on the sign-in host is shown instead."""
        sign_in = signin.context_for(request)
        if sign_in is None:
            return
        token = signin.failure_token(sign_in=sign_in, reason=reason)
        raise ImmediateHttpResponse(
            signin.continue_to(request, f"{sign_in.origin}{signin.FAILED_PATH}?token={token}")
        )
