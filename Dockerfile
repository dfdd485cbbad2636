# The portal's image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORTAL_VAR_DIR=/var/lib/portal \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/portal/media

# Pango and HarfBuzz for WeasyPrint's PDFs, gettext for the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
        libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv --verbosity 0 \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --system --home /var/lib/portal portal \
 && mkdir -p /var/lib/portal/media \
 && chown -R portal /var/lib/portal

USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
