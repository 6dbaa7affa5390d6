"""Every write of the accounts app, one module per topic; import from here.

common.py         the errors, the audit trail, creating a user
team.py           the brand's team: memberships and roles
invitations.py    invitations to the team
terms.py          the brand's terms and people's consent
profile.py        a participant's profile and avatar
signin_settings.pysign-in providers, the sign-in policy, API tokens
privacy.py        personal data: export, erasure, account deletion
api_keys.py       the brand's API keys: make, revoke, each use
"""

from accounts.services.api_keys import (
    ApiKeyError,
    api_key_create,
    api_key_digest,
    api_key_matches,
    api_key_revoke,
    api_key_split,
    api_key_touch,
    api_key_use_record,
)
from accounts.services.common import (
    ConsentError,
    InvitationError,
    MembershipError,
    PrivacyError,
    SignInSettingsError,
    audit_record,
    audit_record_many,
    clean_display_name,
    user_create,
)
from accounts.services.invitations import (
    invitation_accept,
    invitation_accept_as_new_account,
    invitation_create,
    invitation_path,
    invitation_token,
    invitation_withdraw,
)
from accounts.services.privacy import (
    ERASED,
    account_delete,
    participant_erase,
    personal_data_export,
)
from accounts.services.profile import AVATAR_FORMATS, AVATAR_SIZE, profile_update
from accounts.services.signin_settings import (
    DOMAIN,
    api_token_issue,
    api_token_revoke,
    provider_credential_delete,
    provider_credential_save,
    signin_policy_update,
)
from accounts.services.team import (
    INVITABLE_ROLES,
    MANAGERS,
    membership_change_role,
    membership_grant,
    membership_remove,
    membership_revoke,
    membership_set_role,
)
from accounts.services.terms import consent_accept, terms_default_text, terms_publish

__all__ = [
    "AVATAR_FORMATS",
    "AVATAR_SIZE",
    "DOMAIN",
    "ERASED",
    "INVITABLE_ROLES",
    "MANAGERS",
    "ApiKeyError",
    "ConsentError",
    "InvitationError",
    "MembershipError",
    "PrivacyError",
    "SignInSettingsError",
    "account_delete",
    "api_key_create",
    "api_key_digest",
    "api_key_matches",
    "api_key_revoke",
    "api_key_split",
    "api_key_touch",
    "api_key_use_record",
    "api_token_issue",
    "api_token_revoke",
    "audit_record",
    "audit_record_many",
    "clean_display_name",
    "consent_accept",
    "invitation_accept",
    "invitation_accept_as_new_account",
    "invitation_create",
    "invitation_path",
    "invitation_token",
    "invitation_withdraw",
    "membership_change_role",
    "membership_grant",
    "membership_remove",
    "membership_revoke",
    "membership_set_role",
    "participant_erase",
    "personal_data_export",
    "profile_update",
    "provider_credential_delete",
    "provider_credential_save",
    "signin_policy_update",
    "terms_default_text",
    "terms_publish",
    "user_create",
]
