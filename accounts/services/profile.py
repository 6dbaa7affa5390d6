"""A participant's profile in a brand: display name, contact choice, avatar."""

from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    ParticipantProfile,
    User,
)
from accounts.services.common import ConsentError, _display_name
from core.images import ImageRejected, clean_image
from tenants.models import Tenant


def _profile_apply(profile, *, display_name: str | None, marketing_opt_in: bool | None) -> None:
    changed = []
    if display_name and display_name != profile.display_name:
        profile.display_name = display_name
        changed.append("display_name")
    if marketing_opt_in is not None and marketing_opt_in != profile.marketing_opt_in:
        profile.marketing_opt_in = marketing_opt_in
        profile.marketing_opt_in_at = timezone.now() if marketing_opt_in else None
        changed += ["marketing_opt_in", "marketing_opt_in_at"]
    if changed:
        profile.save(update_fields=changed)


AVATAR_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


AVATAR_SIZE = 256


def _avatar_png(upload) -> ContentFile:
    """The upload as a 256px PNG, checked by content and stripped of metadata
    (EXIF location…) by the platform's image check."""
    try:
        return clean_image(
            upload, max_mb=5, max_side=AVATAR_SIZE, formats=AVATAR_FORMATS, output_format="PNG"
        )
    except ImageRejected as exc:
        raise ConsentError(str(exc), fields={"avatar": [str(exc)]}) from exc


def profile_update(
    *,
    tenant: Tenant,
    user: User,
    display_name: str | None = None,
    marketing_opt_in: bool | None = None,
    avatar=None,
    remove_avatar: bool = False,
) -> ParticipantProfile:
    profile = ParticipantProfile.objects.filter(tenant=tenant, user=user).first()
    if profile is None:
        raise ConsentError(
            _("Accept the terms first: your profile is created then."), code="no_profile"
        )
    if display_name is not None:
        display_name = _display_name(display_name)
    if display_name is not None and not display_name:
        raise ConsentError(
            _("Choose the name others will see next to your ideas."),
            fields={"display_name": [_("This field is required.")]},
        )
    new_avatar = _avatar_png(avatar) if avatar is not None else None
    with transaction.atomic():
        profile = ParticipantProfile.objects.select_for_update().get(pk=profile.pk)
        _profile_apply(
            profile,
            display_name=display_name or None,
            marketing_opt_in=marketing_opt_in,
        )
        old_name = profile.avatar.name if profile.avatar else ""
        if new_avatar is not None or remove_avatar:
            if new_avatar is not None:
                profile.avatar.save(new_avatar.name, new_avatar, save=False)
            else:
                profile.avatar = ""
            profile.save(update_fields=["avatar"])
            if old_name:
                storage = profile.avatar.storage
                transaction.on_commit(partial(storage.delete, old_name))
    return profile
