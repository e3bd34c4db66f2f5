"""Production: refuses to start without SECRET_KEY; passes `manage.py check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

DEBUG = False
CXGOV_OPEN_SIGNUP = env.bool("CXGOV_OPEN_SIGNUP", default=False)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Trust X-Forwarded-Proto only behind a reverse proxy that sets it (and drops what clients send):
# otherwise any client could claim HTTPS and get secure-only behaviour over plain HTTP.
CXGOV_TRUST_PROXY = env.bool("CXGOV_TRUST_PROXY", default=False)
if CXGOV_TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Persistent connections are a per-database setting: a module-level CONN_MAX_AGE is ignored by Django.
DATABASES = {
    **DATABASES,  # noqa: F405
    "default": {**DATABASES["default"], "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60)},  # noqa: F405
}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
