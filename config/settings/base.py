"""Settings shared by every environment, read from the environment (django-environ).

Each environment module (local, test, production) imports this one and changes
only what differs. Every value has a safe default, except the secrets that
production requires.
"""

from pathlib import Path

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from core import observability

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core ---------------------------------------------------------------------

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-never-used-in-production")
DEBUG = env.bool("DEBUG", default=False)

# The platform's own host; tenants live on <slug>.<PLATFORM_DOMAIN> or on their
# custom domains. Hosts are checked by tenants.middleware against the Domain
# table before any view runs (an unknown host is a 404). That table is the list
# of allowed hosts, so custom domains work without a restart; Django's own
# check is left open to let the middleware decide.
PLATFORM_DOMAIN = env("PLATFORM_DOMAIN", default="localhost")
PLATFORM_NAME = env("PLATFORM_NAME", default="Ruche")
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_structlog",  # task ids and request ids on Celery's log lines
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.openid_connect",
    # Ruche, from the bottom layer up (each imports only the ones above it here).
    "core",
    "tenants",
    "notifications",
    "integrations",
    "accounts",
    "campaigns",
    "ideas",
    "voting",
    "juries",
    "rewards",
    "insights",
    "demo",
]

MIDDLEWARE = [
    # Requests counted and timed for the operators' metrics (core/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # One log line per request, and a request id on every line logged meanwhile.
    "django_structlog.middlewares.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TenantMiddleware",
    "integrations.embeds.EmbedCookiesMiddleware",  # cookies set in a frame: partitioned
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.SessionTenantMiddleware",  # a session works on its own tenant only
    "accounts.middleware.PrivatePagesMiddleware",  # signed-in pages: private, no-store
    "accounts.middleware.BrandKeyAuditMiddleware",  # each use of a brand's API key, audited
    "accounts.middleware.LanguageMiddleware",
    "insights.middleware.VisitMiddleware",  # counts public page views, no cookie, no IP kept
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "tenants.middleware.BrandedNotFoundInDebugMiddleware",  # innermost: sees the view's 404
]

ROOT_URLCONF = "config.urls"
# The model a tenant-aware task looks its tenant up in (core.tasks).
TENANT_MODEL = "tenants.Tenant"
PLATFORM_URLCONF = "config.urls_platform"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # allauth's pages in Ruche's layout: accounts/allauth_templates is looked
        # up before the apps' own folders (allauth is installed before accounts).
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "accounts" / "allauth_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "tenants.context_processors.tenant",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://ruche@127.0.0.1:5432/ruche")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A connection pool per process (psycopg's), "min:max" connections: for
# threaded servers and workers; behind PgBouncer, leave it unset.
if env("DATABASE_POOL", default=""):
    _min, _colon, _max = env("DATABASE_POOL").partition(":")
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(_min),
        "max_size": int(_max or _min),
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ruche",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
# No password needed: a code by e-mail signs people up and in; a password can
# still be set and used. Every address is verified (by the code, or by the
# provider that vouches for it) before it signs anyone in: one vote per person
# rests on it.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Rate limits and lockout (allauth, counted in Redis). "key" is the e-mail
# address: 5 failed passwords for one address lock it for 5 minutes; 3 codes
# per address per minute; a wrong code 3 times voids it (MAX_ATTEMPTS).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "signin_start": "30/m/ip",  # our social sign-in buttons (accounts.views.signin)
}
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGOUT_ON_GET = False

# One-click sign-in. Every OAuth callback lands on the sign-in host
# (PLATFORM_DOMAIN) and is handed back to the tenant's host: see accounts/signin.py.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
# A provider that vouches for an address signs into the account that has it
# (and is linked to it): the same person never gets two accounts. An address
# the provider does not vouch for never signs into an existing account.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "google": {"SCOPE": ["profile", "email"], "OAUTH_PKCE_ENABLED": True},
    # Facebook returns only confirmed addresses.
    "facebook": {"METHOD": "oauth2", "SCOPE": ["email", "public_profile"], "VERIFIED_EMAIL": True},
    # users.email gives X's confirmed address (accounts.adapters reads it).
    "twitter_oauth2": {
        "SCOPE": ["users.read", "tweet.read", "users.email"],
        "FIELDS": ["id", "name", "username", "profile_image_url", "confirmed_email"],
    },
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}
# The platform's default OAuth apps; a brand may set its own in the console.
# A provider without a client id is not offered (unless the brand set its own).
SIGNIN_PLATFORM_APPS = {
    "google": {
        "client_id": env("GOOGLE_CLIENT_ID", default=""),
        "secret": env("GOOGLE_CLIENT_SECRET", default=""),
    },
    "facebook": {
        "client_id": env("FACEBOOK_APP_ID", default=""),
        "secret": env("FACEBOOK_APP_SECRET", default=""),
    },
    "twitter_oauth2": {
        "client_id": env("X_CLIENT_ID", default=""),
        "secret": env("X_CLIENT_SECRET", default=""),
    },
}
# Keys that encrypt the brands' client secrets (first encrypts, all decrypt);
# without any, one is derived from SECRET_KEY.
SIGNIN_SECRETS_KEYS = env.list("SIGNIN_SECRETS_KEYS", default=[])
# The demo sign-in (allauth's "dummy" provider: anyone becomes anyone) exists
# only where a settings module allows it: local and test, never production.
DEMO_SIGN_IN = False
DEMO_SIGN_IN_ALLOWED = False
TEAM_INVITATION_DAYS = env.int("TEAM_INVITATION_DAYS", default=7)

# --- Languages and time ---------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("fr", _("French")), ("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and media -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / ".local" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Ideas' uploads (README: "Ideas and moderation") ------------------------------
# The idea forms and API stream uploads to a temporary file (never held in
# memory) and cut them off past IDEAS_UPLOAD_MAX_MB; each challenge sets its own
# lower limits. Images above IDEAS_IMAGE_MAX_PIXELS are refused before any pixel
# is decoded. The media task's soft limit; ffmpeg is stopped before it.
IDEAS_UPLOAD_MAX_MB = env.int("IDEAS_UPLOAD_MAX_MB", default=500)
IDEAS_IMAGE_MAX_PIXELS = env.int("IDEAS_IMAGE_MAX_PIXELS", default=40_000_000)
IDEAS_MEDIA_SOFT_TIME_LIMIT = env.int("IDEAS_MEDIA_SOFT_TIME_LIMIT", default=300)
IDEAS_VIDEO_TRANSCODE_SECONDS = env.int("IDEAS_VIDEO_TRANSCODE_SECONDS", default=240)
# Empty: the system's ffmpeg/ffprobe (on PATH), else the imageio-ffmpeg wheel's
# ffmpeg, which then also reads the videos' headers (ideas.media.ffmpeg_binary).
FFMPEG = env("FFMPEG", default="")
FFPROBE = env("FFPROBE", default="")

# --- Voting (README: "Voting") -----------------------------------------------------
# Votes a person (per minute, per hour) or an address (per minute) may cast
# before being asked to slow down (voting.risk). Behind a load balancer or
# reverse proxy, TRUSTED_PROXY_COUNT says how many of them append to
# X-Forwarded-For: the visitor's address is read there (sign-in limits and
# votes alike), never trusted from a client otherwise.
VOTING_RATE_LIMITS = {
    "person_per_minute": env.int("VOTING_PERSON_PER_MINUTE", default=30),
    "person_per_hour": env.int("VOTING_PERSON_PER_HOUR", default=300),
    "ip_per_minute": env.int("VOTING_IP_PER_MINUTE", default=120),
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Rate limits (README: "Configuration") -----------------------------------------
# How often one person, and one network (its /24 or /48: offices and mobile
# networks put many people behind one, so its limit is generous), may do each
# thing (core.ratelimit): "count/window/who", windows in s, m, h or d ("10m":
# ten minutes); empty: no limit. Sign-in is limited by ACCOUNT_RATE_LIMITS,
# votes by VOTING_RATE_LIMITS.
RATE_LIMITS = {
    "submissions": env("RATE_LIMIT_SUBMISSIONS", default="10/h/person,100/h/network"),
    "comments": env("RATE_LIMIT_COMMENTS", default="30/10m/person,300/10m/network"),
    "flags": env("RATE_LIMIT_FLAGS", default="20/h/person,200/h/network"),
    "follows": env("RATE_LIMIT_FOLLOWS", default="60/h/person,600/h/network"),
    "search": env("RATE_LIMIT_SEARCH", default="60/m/person,600/m/network"),
    # Requests of one brand API key ("person" is the key here).
    "api_keys": env("RATE_LIMIT_API_KEYS", default="600/m/person"),
}

# --- E-mail ---------------------------------------------------------------------

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Ruche <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # a stuck SMTP server must not hold a worker
# Notification e-mails: how many times one is tried, and the waits between tries
# (seconds) after a transient error (SMTP 4xx, connection lost, provider 429/5xx).
NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATIONS_EMAIL_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_EMAIL_RETRY_DELAYS = [60, 300, 1800, 7200]

# Links in e-mails point at https://<tenant host>/…; `make run` serves plain
# http on a port (config/settings/local.py).
PUBLIC_SCHEME = env("PUBLIC_SCHEME", default="https")
PUBLIC_PORT = env("PUBLIC_PORT", default="")

# --- API --------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.TenantTokenAuthentication",
        "accounts.authentication.BrandKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.CursorPagination",
    "PAGE_SIZE": 24,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ruche API",
    "DESCRIPTION": "Everything a browser can do on a tenant's site, as JSON. "
    "Call it on the tenant's host (https://<slug>.<platform domain>/api/v1/).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files (strict CSP, no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name with another app's get their own name.
    "ENUM_NAME_OVERRIDES": {
        "InvitationStatusEnum": "accounts.models.Invitation.Status",
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "RoundKindEnum": "campaigns.models.Round.Kind",
        "WebhookEndpointKindEnum": "integrations.models.WebhookEndpoint.Kind",
    },
}

# --- Celery -----------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# A task not acknowledged within this time is handed to another worker: it must
# outlast the longest countdown a task is retried after (an e-mail's 2 hours),
# or the broker delivers the waiting retry twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int(
        "CELERY_VISIBILITY_TIMEOUT", default=max(NOTIFICATIONS_EMAIL_RETRY_DELAYS) + 3600
    )
}
CELERY_TIMEZONE = "UTC"
# Three queues, so a burst of video transcodes never delays a sign-in or a
# notification e-mail: `interactive` (e-mails people wait for), `media`
# (renditions and transcodes: slow, CPU-bound) and `celery` (the rest: the
# round cycle, webhooks, digests, reindexing). A worker started without -Q
# consumes all three (`make run`, the tests); production runs a worker pool per
# queue (`-Q interactive`, `-Q media`, `-Q celery`) and scales each on its own.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [
    Queue("celery", routing_key="celery"),
    Queue("interactive", routing_key="interactive"),
    Queue("media", routing_key="media"),
]
CELERY_TASK_ROUTES = {
    "notifications.tasks.email_send": {"queue": "interactive"},
    "accounts.tasks.invitation_email_send": {"queue": "interactive"},
    "ideas.tasks.media_process": {"queue": "media"},
}
# The one periodic schedule lives in config/celery.py (beat_schedule).

# --- Outbound webhooks (integrations/) ----------------------------------------------

# Seconds between a failed attempt and the next: about three days in all, then
# the delivery is given up (and an endpoint nothing reached meanwhile disabled).
WEBHOOKS_RETRY_DELAYS = [
    5,
    5 * 60,
    30 * 60,
    2 * 3600,
    5 * 3600,
    10 * 3600,
    14 * 3600,
    20 * 3600,
    20 * 3600,
]
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=5.0)
# Only the first bytes of a receiver's answer are read and kept in the log.
WEBHOOKS_RESPONSE_CAP_BYTES = 4096
# Lifts the refusal of private, loopback and link-local addresses: only for
# tests that run a receiver on the loopback (override_settings), never in production.
WEBHOOKS_ALLOW_PRIVATE_HOSTS = False

# --- Security (tightened further in production) -----------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging, metrics, errors (README: "Operating Ruche") ---------------------------

# Every line is a structured event (structlog): JSON for log collectors
# (LOG_FORMAT=json, the production default) or key=value text for a terminal,
# with the request id, the user and the tenant of the request or task that
# logged it. IP addresses are not logged.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = observability.logging_config(
    level=env("LOG_LEVEL", default="INFO"),
    json=LOG_FORMAT == "json",
    requests_level=env("REQUEST_LOG_LEVEL", default="INFO"),
)
observability.configure_structlog()
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_USER_ID_FIELD = "public_id"
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# The proxy in front names each request (X-Request-ID): the same id in its logs.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("TRUST_UPSTREAM_REQUEST_ID", default=False)

# The metrics page (/metrics on the platform's host or an internal name, never
# a tenant's): with a token, only scrapers that send it as a bearer token.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# Errors reported to Sentry (or a compatible service) when a DSN is given;
# nothing personal is sent (no cookies, no IP, no user e-mail).
SENTRY_DSN = env("SENTRY_DSN", default="")
observability.init_sentry(
    dsn=SENTRY_DSN,
    environment=env("SENTRY_ENVIRONMENT", default="production"),
    release=env("RELEASE", default=None),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
