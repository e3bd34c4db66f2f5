"""The Celery application; eager (inline) when no REDIS_URL is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxgov.settings.local")

app = Celery("cxgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
