"""Settings shared by every environment, read from environment variables with embedded defaults."""

import os
from email.utils import getaddresses
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "axes",
    "accounts",
    "organisations",
    "assessments",
    "roadmaps",
    "governance",
    "measurement",
    "reports",
    "privacy",
    "audit",
    "benchmarks",
    "workspace",
    "sharing",
    "outbox",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cxgov.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a request value: PostgreSQL can neither store nor compare a NUL byte.
    "cxgov.nul.NulByteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the language: a personal link's session answers in its user's language (assessments/links.py).
    "assessments.middleware.LinkSessionMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: replaces a "sent" message by the truth when an inline e-mail failed.
    "cxgov.mail.MailFailureMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cxgov.urls"
WSGI_APPLICATION = "cxgov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "organisations.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
# An organisation's home page (its rounds), given its slug: organisations redirects there after creating
# one or accepting an invitation, but the page belongs to workspace, above tenancy, so it is named here.
CXGOV_ORGANISATION_HOME_URL = "workspace:detail"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (per e-mail and address).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Lock on the normalised address (trimmed, case-folded), the same one the login looks up.
AXES_USERNAME_CALLABLE = "accounts.identity.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Open sign-up: anyone may create an account, then an organisation (PRODUCT.md).
CXGOV_OPEN_SIGNUP = env.bool("CXGOV_OPEN_SIGNUP", default=True)
CXGOV_INVITATION_DAYS = env.int("CXGOV_INVITATION_DAYS", default=14)

# KPI CSV imports run inside the web request (gunicorn kills a worker after 30 s): a valid row costs
# about 5 µs, so 1,000,000 rows answer in about 5 s; a file past a limit is refused before it is read,
# and checking stops at the first CXGOV_IMPORT_MAX_ERRORS bad rows.
CXGOV_IMPORT_MAX_BYTES = env.int("CXGOV_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
CXGOV_IMPORT_MAX_ROWS = env.int("CXGOV_IMPORT_MAX_ROWS", default=1_000_000)
CXGOV_IMPORT_MAX_ERRORS = env.int("CXGOV_IMPORT_MAX_ERRORS", default=100)
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cxgov <no-reply@cxgov.local>")
# Who receives server errors by e-mail (Django's mail_admins): "Name <ops@example.com>, dev@example.com".
# Empty: errors are only logged, and the 500 page says so.
ADMINS = [(name, address) for name, address in getaddresses([env("CXGOV_ADMINS", default="")]) if address]
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Celery: a real broker when REDIS_URL is set, otherwise tasks run inline (embedded default).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Enqueueing never waits on a dead broker: one short connection attempt, no publish retries, and
# no result backend on the way (nobody reads task results). The outbox keeps what was not sent.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# max_retries 0: a publish tries the connection once (kombu would otherwise retry until its timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5, "max_retries": 0}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE

# The PDF report's chapters are laid out in this many processes at once (1: one process, no forking).
REPORT_PDF_PROCESSES = env.int("CXGOV_PDF_PROCESSES", default=min(2, os.cpu_count() or 1))

# Cache (benchmark figures): Redis, shared by every process, when REDIS_URL is set; else in-process memory.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "cxgov"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cxgov"}}

# Strict Content-Security-Policy: no inline script or style anywhere (ARCHITECTURE.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Absolute links in e-mails (no request is at hand in a Celery worker).
CXGOV_BASE_URL = env("CXGOV_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Where people report an accessibility problem (an e-mail address or a web address), shown in the
# accessibility statement (/accessibility/); empty: the statement points to the person who invited them.
CXGOV_ACCESSIBILITY_CONTACT = env("CXGOV_ACCESSIBILITY_CONTACT", default="")

CELERY_BEAT_SCHEDULE = {
    "round-reminders": {"task": "assessments.tasks.send_due_reminders", "schedule": 6 * 3600},
    "reports-sweep": {"task": "reports.tasks.reports_sweep", "schedule": 300},
    "outbox-relay": {"task": "outbox.tasks.outbox_relay", "schedule": 60},
    # Twice a day: the agenda of tomorrow's steering meetings (sent once per meeting; the second run is a catch-up).
    "steering-agendas": {"task": "governance.tasks.send_due_agendas", "schedule": 12 * 3600},
}

# The to-be RACI page posts the whole matrix on each change: two fields per cell (the letter and the
# letter as loaded), 27 activities × 19 roles in framework 2.0 and more when an organisation adds
# roles. Django's default of 1,000 fields refused it; 10,000 still bounds a request's parsing.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
