"""The brand's terms: published as versions; people's consent recorded."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.models import (
    Consent,
    ParticipantProfile,
    TermsVersion,
    User,
)
from accounts.services.common import ConsentError, _display_name, audit_record, clean_display_name
from accounts.services.profile import _profile_apply
from tenants.models import Tenant

# --- Consent and participant profiles --------------------------------------------------


def terms_default_text(tenant: Tenant) -> tuple[str, str]:
    """The platform's standard terms and privacy notice, in the tenant's language,
    used as version 1 until the brand publishes its own."""
    with translation.override(tenant.default_language):
        context = {"tenant": tenant, "platform_name": settings.PLATFORM_NAME}
        terms = render_to_string("accounts/terms/default_terms.txt", context).strip()
        privacy = render_to_string("accounts/terms/default_privacy.txt", context).strip()
    return terms, privacy


def terms_publish(
    *, tenant: Tenant, terms: str, privacy_notice: str, actor: User | None = None
) -> TermsVersion:
    """Publish a new version: everyone is asked again before their next contribution."""
    terms, privacy_notice = (terms or "").strip(), (privacy_notice or "").strip()
    fields = {}
    if not terms:
        fields["terms"] = [_("Write the terms and conditions.")]
    if not privacy_notice:
        fields["privacy_notice"] = [_("Write the privacy notice.")]
    if fields:
        raise ConsentError(_("Write both the terms and the privacy notice."), fields=fields)
    with transaction.atomic():
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()  # one publisher at a time
        last = TermsVersion.objects.filter(tenant=tenant).order_by("-version").first()
        version = TermsVersion.objects.create(
            tenant=tenant,
            version=(last.version + 1) if last else 1,
            terms=terms,
            privacy_notice=privacy_notice,
            published_by=actor,
        )
        audit_record(
            actor=actor, action="terms.publish", target=version, data={"version": version.version}
        )
    return version


def _terms_to_accept(*, tenant: Tenant, version: int) -> TermsVersion:
    current = selectors.terms_current(tenant=tenant)
    if current is None and version == 1:
        terms, privacy = terms_default_text(tenant)
        try:
            with transaction.atomic():
                return TermsVersion.objects.create(
                    tenant=tenant, version=1, terms=terms, privacy_notice=privacy
                )
        except IntegrityError:  # another acceptance created it first
            return TermsVersion.objects.get(tenant=tenant, version=1)
    if current is None or current.version != version:
        raise ConsentError(
            _("The terms changed while you were reading them: please read the new version."),
            code="terms_changed",
        )
    return current


def consent_accept(
    *,
    tenant: Tenant,
    user: User,
    version: int,
    display_name: str = "",
    marketing_opt_in: bool | None = None,
) -> Consent:
    """The person accepts the tenant's terms and privacy notice (the version they
    read). The first acceptance creates their participant profile."""
    display_name = _display_name(display_name)
    with transaction.atomic():
        terms_version = _terms_to_accept(tenant=tenant, version=version)
        profile = (
            ParticipantProfile.objects.select_for_update().filter(tenant=tenant, user=user).first()
        )
        if profile is None:
            name = display_name or clean_display_name(user.display_name)
            if not name:
                raise ConsentError(
                    _("Choose the name others will see next to your ideas."),
                    fields={"display_name": [_("This field is required.")]},
                )
            profile = ParticipantProfile.objects.create(
                tenant=tenant,
                user=user,
                display_name=name,
                marketing_opt_in=bool(marketing_opt_in),
                marketing_opt_in_at=timezone.now() if marketing_opt_in else None,
            )
        else:
            _profile_apply(profile, display_name=display_name, marketing_opt_in=marketing_opt_in)
        consent, created = Consent.objects.get_or_create(
            tenant=tenant, user=user, terms_version=terms_version
        )
        if created:
            audit_record(
                actor=user,
                action="consent.accept",
                target=profile,
                data={"version": terms_version.version},
            )
    selectors.forget_terms_cache(user)
    return consent
