# Plan Portal production image: gunicorn (web) and procrastinate (worker) share it.
FROM python:3.11-slim-bookworm

# LOCAL_ENV_FILE empty: the settings never read a checkout's .env.local (.dockerignore keeps it out)
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    STATIC_ROOT=/app/static MEDIA_ROOT=/app/media LOCAL_ENV_FILE=

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      gdal-bin libgdal32 gdal-data libgeos-c1v5 libproj25 proj-data \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
      gettext postgresql-client poppler-utils \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir uv==0.13.9 \
 && uv pip install --system --no-cache -r pyproject.toml

COPY . .
RUN DEBUG=0 SECRET_KEY=build-only DATABASE_URL=postgis://build@localhost/build \
      python manage.py compilemessages -v0 --ignore=.venv \
 && DEBUG=0 SECRET_KEY=build-only DATABASE_URL=postgis://build@localhost/build \
      python manage.py collectstatic --no-input -v0 \
 && useradd --system --home /app portal && mkdir -p /app/media && chown portal /app/media

USER portal
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "gis_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "120", "--access-logfile", "-"]
