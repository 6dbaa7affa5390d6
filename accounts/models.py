"""People (global) and what they are in each tenant (memberships)."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.audit_labels import action_label
from core.permissions import KeyScope, Role
from tenants.models import Tenant


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One person, one account across every tenant (one Google identity).

    `is_staff` marks platform operators. What a person is in a tenant lives in
    Membership (the brand's team) and, for participants, in their consent.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Tenant.Language.choices, blank=True
    )
    is_staff = models.BooleanField(_("platform operator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        """The name others see: never the e-mail address."""
        return self.display_name or _("Member")


class Membership(models.Model):
    """A person on a brand's team. Participants are not members: they are people
    who accepted the tenant's terms (see the consent records)."""

    Role = Role  # the roles are the ground floor's (core.permissions)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_one_per_tenant"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.tenant}"


class AuditEntry(models.Model):
    """Who did what, when and why, in a tenant. Written by services only, never
    edited. Every app records its decisions here (moderation, votes voided,
    jury decisions, payouts)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["tenant", "target_type", "target_id"])]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    @property
    def action_label(self) -> str:
        """The action in words, translated (accounts/audit_labels.py)."""
        return action_label(self.action)


# --- Sign-in ----------------------------------------------------------------------


class SignInProvider(models.TextChoices):
    """The one-click providers a brand may bring its own OAuth app for."""

    GOOGLE = "google", "Google"
    FACEBOOK = "facebook", "Facebook"
    TWITTER = "twitter_oauth2", "X (Twitter)"
    OPENID_CONNECT = "openid_connect", _("Company sign-in (OpenID Connect)")


class ProviderCredential(models.Model):
    """A brand's own OAuth app for one provider, so the provider's consent screen
    shows the brand. Without one, the platform's default app is used (settings).

    The secret is stored encrypted (accounts.crypto) and never shown again.
    For OpenID Connect (Azure AD, Okta, Google Workspace…) `server_url` is the
    issuer; the brand's staff sign in with it (employees-only challenges).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(_("provider"), max_length=32, choices=SignInProvider.choices)
    name = models.CharField(_("button label"), max_length=80, blank=True)
    client_id = models.CharField(_("client id"), max_length=255)
    secret_encrypted = models.TextField(blank=True)
    server_url = models.URLField(_("issuer URL"), max_length=300, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("sign-in provider credential")
        verbose_name_plural = _("sign-in provider credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "provider"], name="providercredential_one_per_provider"
            ),
        ]

    def __str__(self):
        return f"{self.tenant} · {self.get_provider_display()}"


class SignInPolicy(models.Model):
    """How a tenant lets people in: disposable e-mail domains, who counts as staff."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    refuse_disposable_emails = models.BooleanField(
        _("refuse disposable e-mail addresses"), default=False
    )
    staff_email_domains = models.JSONField(_("staff e-mail domains"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self):
        return str(self.tenant)


# --- Consent and participant profiles ---------------------------------------------


class TermsVersion(models.Model):
    """A tenant's terms and privacy notice, versioned: publishing a new version
    asks every participant again before their next contribution."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    terms = models.TextField(_("terms and conditions"))
    privacy_notice = models.TextField(_("privacy notice"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("terms version")
        verbose_name_plural = _("terms versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "version"], name="terms_version_unique"),
        ]

    def __str__(self):
        return f"{self.tenant} · v{self.version}"


def avatar_path(profile, filename: str) -> str:
    # The name says nothing about the person: a random name per upload.
    return f"avatars/{profile.tenant.public_id}/{uuid.uuid4().hex}.png"


class ParticipantProfile(models.Model):
    """What a tenant knows of a participant: created by their first consent.
    The display name is what the public sees next to their ideas and comments."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participant_profiles")
    display_name = models.CharField(_("public name"), max_length=80)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    marketing_opt_in = models.BooleanField(_("news from the brand"), default=False)
    marketing_opt_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("participant profile")
        verbose_name_plural = _("participant profiles")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="profile_one_per_tenant"),
        ]

    def __str__(self):
        return f"{self.display_name} · {self.tenant}"


class Consent(models.Model):
    """A person accepted one version of a tenant's terms and privacy notice, at a time."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    terms_version = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "terms_version"], name="consent_once_per_version"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "user"])]

    def __str__(self):
        return f"{self.user_id} · {self.terms_version}"


# --- Team invitations ---------------------------------------------------------------


class Invitation(models.Model):
    """An e-mailed invitation to join a tenant's team with a role. The link holds
    a signed token; the invitation expires at `expires_at` and is used once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One pending invitation per address and tenant: inviting again
            # replaces the previous one.
            models.UniqueConstraint(
                "tenant",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            ),
            # Owners are made by promoting a member, never by e-mail.
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "moderator", "juror"]),
                name="invitation_role_not_owner",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.tenant} ({self.role})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


# --- Personal API tokens ---------------------------------------------------------------


class ApiToken(models.Model):
    """A person's API token for one tenant's hosts (`Authorization: Token <key>`).

    Only a digest of the key is kept: the key is shown once, when issued. A
    token authenticates on the hosts of the tenant it was issued on and
    nowhere else (accounts.authentication)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # One token per person and tenant: issuing again replaces it.
            models.UniqueConstraint(fields=["tenant", "user"], name="api_token_one_per_person"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.tenant}"


# --- Brand API keys ----------------------------------------------------------------------


class BrandApiKey(models.Model):
    """A key that belongs to the brand, not to a person (`Authorization: Bearer
    rk_<prefix>_<secret>`), with scopes (core.permissions.KeyScope).

    The secret is shown once, when the key is made; what is kept is its prefix
    (to find the key) and a SHA-256 digest of the whole key (compared in
    constant time). It works on its brand's hosts only. It acts through a
    person of its own (`principal`: no password, no membership, named after
    the key), so the services it calls record who did what as they do for
    people, and the audit trail names the key. Revoked keys are kept, so the
    trail still says which key did what.

    It lives here rather than with the webhooks (integrations) because it
    authenticates as a user and writes the brand's audit trail, both accounts'."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    key_digest = models.CharField(max_length=64)
    scopes = ArrayField(models.CharField(max_length=16), default=list)
    principal = models.OneToOneField(User, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # Written at most once a minute (accounts.services.api_key_touch).
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(tenant="tenant")

    # Tells core.permissions that the request's `auth` is a brand key.
    is_brand_key = True

    class Meta:
        verbose_name = _("brand API key")
        verbose_name_plural = _("brand API keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scopes=[]), name="brand_api_key_has_a_scope"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}) · {self.tenant}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def scope_labels(self) -> list[str]:
        return [str(KeyScope(s).label) for s in self.scopes if s in KeyScope.values]
