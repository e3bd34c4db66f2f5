"""Test settings: fast hashing, in-memory e-mail; real services only when their URLs are set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
CXGOV_REQUIRE_SERVICES = env.bool("CXGOV_REQUIRE_SERVICES", default=False)
AXES_ENABLED = True
# Serve static files straight from static/ (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Tasks run inline in tests even when REDIS_URL is set; the tests that exercise the real broker
# and worker switch this off for themselves (tests/integration/test_celery_redis.py).
CELERY_TASK_ALWAYS_EAGER = True
