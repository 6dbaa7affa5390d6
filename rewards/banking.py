"""Bank details: checking them (schwifty), keeping the IBAN encrypted, showing
it masked.

Prizes are paid by SEPA credit transfer, so an account must be in the SEPA
zone. Inside the European Economic Area the IBAN is enough; outside it (the
United Kingdom, Switzerland, Monaco…) banks still need the BIC, which is asked
for unless schwifty knows it from the IBAN's bank code.

The IBAN is encrypted with the helper that keeps the brands' sign-in secrets
(accounts.crypto: Fernet, keys rotated through SIGNIN_SECRETS_KEYS); only its
country and last four characters stay readable, to show it masked.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty import exceptions as iban_errors

from accounts.crypto import decrypt_secret, encrypt_secret

HOLDER_MAX = 70
# The European Economic Area: SEPA transfers there need no BIC (Regulation 260/2012).
EEA = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS"),
        *("IE", "IT", "LV", "LI", "LT", "LU", "MT", "NL", "NO", "PL", "PT", "RO", "SK", "SI"),
        *("ES", "SE"),
    }
)


@dataclass(frozen=True)
class CleanAccount:
    holder_name: str
    iban: str  # compact: no spaces, upper case
    country: str
    bic: str


def _iban_error(error: Exception) -> str:
    if isinstance(error, iban_errors.InvalidChecksumDigits | iban_errors.InvalidBBANChecksum):
        return _("This IBAN's check digits do not match: look for a typo.")
    if isinstance(error, iban_errors.InvalidCountryCode):
        return _("This IBAN's country is not supported: prizes are paid by SEPA transfer.")
    if isinstance(error, iban_errors.InvalidLength):
        return _("This IBAN is too short or too long for its country.")
    return _("This is not a valid IBAN.")


def clean_account(
    *, holder_name: str, iban: str, bic: str = ""
) -> tuple[CleanAccount | None, dict]:
    """(the cleaned account, {}) or (None, {field: [message]}) — nothing raised,
    so forms and services show every problem at once."""
    errors: dict[str, list[str]] = {}
    holder_name = " ".join(str(holder_name or "").split())
    if not holder_name:
        errors["holder_name"] = [_("Enter the account holder's name, as the bank knows it.")]
    elif len(holder_name) > HOLDER_MAX:
        errors["holder_name"] = [
            _("Keep the holder's name under %(n)s characters.") % {"n": HOLDER_MAX}
        ]

    parsed = None
    raw_iban = str(iban or "").strip()
    if not raw_iban:
        errors["iban"] = [_("Enter the IBAN of the account to pay.")]
    else:
        try:
            parsed = IBAN(raw_iban)
        except iban_errors.SchwiftyException as error:
            errors["iban"] = [_iban_error(error)]
        else:
            if not parsed.in_sepa_zone:
                errors["iban"] = [
                    _(
                        "Prizes are paid by SEPA transfer: use an account in the SEPA zone "
                        "(%(country)s is not)."
                    )
                    % {"country": parsed.country_code}
                ]
                parsed = None

    bic_text = str(bic or "").replace(" ", "").upper()
    if bic_text:
        try:
            bic_text = str(BIC(bic_text).compact)
        except iban_errors.SchwiftyException:
            errors["bic"] = [_("This is not a valid BIC (8 or 11 letters and digits).")]
    elif parsed is not None and parsed.country_code not in EEA:
        known = parsed.bic
        if known is None:
            errors["bic"] = [_("Enter your bank's BIC: it is needed for accounts outside the EEA.")]
        else:
            bic_text = str(known.compact)

    if errors or parsed is None:
        return None, errors
    return (
        CleanAccount(
            holder_name=holder_name,
            iban=str(parsed.compact),
            country=parsed.country_code,
            bic=bic_text,
        ),
        {},
    )


def encrypt_iban(iban: str) -> str:
    return encrypt_secret(iban)


def decrypt_iban(value: str) -> str:
    return decrypt_secret(value)


def mask_iban(iban: str) -> str:
    """ES91 2100 0418 4502 0005 1332 → ES•• •••• •••• 1332"""
    iban = iban.replace(" ", "")
    if len(iban) < 6:
        return "••••"
    return f"{iban[:2]}•• •••• •••• {iban[-4:]}"
