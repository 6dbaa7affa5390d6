"""`make run`: the demo platform on http://localhost:8000 and http://<slug>.localhost:8000."""

from .base import *  # noqa: F403
from .base import LOG_FORMAT, env, observability

# runserver prints each request already: the structured access log only on demand.
LOGGING = observability.logging_config(
    level=env("LOG_LEVEL", default="INFO"),
    json=LOG_FORMAT == "json",
    requests_level=env("REQUEST_LOG_LEVEL", default="WARNING"),
)

DEBUG = env.bool("DEBUG", default=True)
# A missing page shows the brand's 404 as in production; true brings back
# Django's technical 404 (the list of URLs) while developing.
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)
STATIC_ROOT = None  # served from the apps' folders by whitenoise's finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PUBLIC_SCHEME = env("PUBLIC_SCHEME", default="http")
PUBLIC_PORT = env("PUBLIC_PORT", default=env("PORT", default="8000"))

# A clearly labelled demo sign-in, so the one-click flow works without real
# OAuth credentials (DEMO_SIGN_IN=false turns it off).
DEMO_SIGN_IN_ALLOWED = True
DEMO_SIGN_IN = env.bool("DEMO_SIGN_IN", default=True)
if DEMO_SIGN_IN:
    INSTALLED_APPS = [*INSTALLED_APPS, "allauth.socialaccount.providers.dummy"]  # noqa: F405

# E-mail: each message is written under .local/mail/ with one line in the log
# (core.mail), not dumped whole on the console. EMAIL_BACKEND overrides it.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="core.mail.FileEmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / ".local" / "mail"))  # noqa: F405
