# cxgov image: web (gunicorn) and worker (celery) run from the same image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=cxgov.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files and compiled translations are part of the image; a throwaway key is enough at build time.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
 && SECRET_KEY=build-only python manage.py compilemessages -v 0
RUN useradd --create-home cxgov && mkdir -p /app/media && chown cxgov /app/media
USER cxgov
EXPOSE 8000
CMD ["gunicorn", "cxgov.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
