"""WSGI entry point (gunicorn cxgov.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxgov.settings.production")
application = get_wsgi_application()
