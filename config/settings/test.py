"""`make test`: the same real services, isolated per pytest-xdist worker."""

import os

from .base import *  # noqa: F403
from .base import CACHES, env, observability

LOGGING = observability.logging_config(level="INFO", json=False, requests_level="WARNING")

SECRET_KEY = "test-only-secret-key"  # noqa: S105
PLATFORM_DOMAIN = "localhost"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Each xdist worker gets its own Redis database, so caches, rate limits and
# Celery queues of parallel workers never meet.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
_redis_db = 1 + int(_worker)
REDIS_URL = env("REDIS_URL").rsplit("/", 1)[0] + f"/{_redis_db}"
CACHES["default"]["LOCATION"] = REDIS_URL
CELERY_BROKER_URL = REDIS_URL
MEDIA_ROOT = BASE_DIR / ".local" / "test-media" / f"worker-{_worker}"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = None  # served from the apps' folders by whitenoise's finders
WHITENOISE_USE_FINDERS = True

# Sign-in: platform apps for the providers, pointed at local fakes by
# tests/accounts/fake_oauth.py; the demo sign-in as in `make run`.
SIGNIN_PLATFORM_APPS = {
    provider: {"client_id": f"ruche-test-{provider}", "secret": f"secret-{provider}"}
    for provider in ("google", "facebook", "twitter_oauth2")
}
DEMO_SIGN_IN_ALLOWED = True
DEMO_SIGN_IN = True
INSTALLED_APPS = [*INSTALLED_APPS, "allauth.socialaccount.providers.dummy"]  # noqa: F405
