"""Production: secure by default; secrets and hosts must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, STORAGES, env, observability

# --- Logs: JSON lines for the log collector (LOG_FORMAT=text for a terminal) -------
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = observability.logging_config(
    level=env("LOG_LEVEL", default="INFO"),
    json=LOG_FORMAT == "json",
    requests_level=env("REQUEST_LOG_LEVEL", default="INFO"),
)

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one

# --- Sign-in ----------------------------------------------------------------------
# The demo sign-in lets anyone become anyone: production refuses to start with it.
if env.bool("DEMO_SIGN_IN", default=False):
    raise ImproperlyConfigured("DEMO_SIGN_IN cannot be enabled with production settings.")
DEMO_SIGN_IN = False
DEMO_SIGN_IN_ALLOWED = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"  # the OAuth redirect URIs

# --- HTTPS ----------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes, the metrics scraper and the TLS proxy's question reach processes
# over plain HTTP inside the network: never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$", r"^internal/tls-allowed$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# --- Static files -----------------------------------------------------------------
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

# --- Media on S3-compatible storage when a bucket is named -------------------------
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    # Pages show ideas' images and videos straight from the bucket: let the CSP
    # allow its origin (a CDN in front of it: set AWS_S3_CUSTOM_DOMAIN).
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    if AWS_S3_CUSTOM_DOMAIN:
        _media_origin = f"https://{AWS_S3_CUSTOM_DOMAIN}"
    elif AWS_S3_ENDPOINT_URL:
        _media_origin = "/".join(AWS_S3_ENDPOINT_URL.split("/")[:3])
    elif AWS_S3_REGION_NAME:
        _media_origin = f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"
    else:
        _media_origin = f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    for _directive in ("img-src", "media-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_media_origin)

# --- E-mail: an SMTP URL (smtp+tls://user:password@host:587) or a provider's backend
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
