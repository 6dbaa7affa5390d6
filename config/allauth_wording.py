"""django-allauth's sentences that Ruche's pages, messages and e-mails show, listed
so that the project's catalogues (locale/, which LOCALE_PATHS puts before every
app's) carry them: allauth's Spanish says *usted*, Ruche speaks to people with *tú*.

`make messages` extracts these msgids into locale/; their Spanish translations
there override allauth's. Keep each msgid exactly as allauth writes it (an
allauth upgrade that rewords one makes the override silently unused: the test
tests/accounts/test_allauth_wording.py checks they are still allauth's)."""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGES = [
    # Flash messages
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("You cannot remove your primary email address."),
    # The sign-in and sign-up pages, the code pages
    gettext_noop("You will receive a special code for a password-free sign-in."),
    gettext_noop("Request Code"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Use your password"),
    gettext_noop("Please type your current password."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("An error occurred while attempting to login via your third-party account."),
    # E-mails
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Your sign-in code is listed below. Please enter it in your open browser window."),
    gettext_noop(
        "Your password reset code is listed below. Please enter it in your open browser window."
    ),
    gettext_noop("This mail can be safely ignored if you did not initiate this action."),
    gettext_noop(
        "You are receiving this mail because the following change was made to your account:"
    ),
    gettext_noop("Your password has been changed."),
    gettext_noop("Your password has been reset."),
    gettext_noop("Your password has been set."),
]
