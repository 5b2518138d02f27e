# GCM Tracker's container: `docker build -t gcmtracker .` (compose.yaml runs it with PostgreSQL,
# Redis and the task worker). Everything comes from uv.lock: exact versions, hashes checked.

FROM python:3.12-slim-bookworm AS build
ENV UV_VERSION=0.13.9 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libmagic1 \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /app
# The dependencies first, in their own layer: it is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-install-project --no-editable --extra sentry
COPY . .
RUN uv sync --locked --no-editable --extra sentry
# Translations and static files are built into the image (hashed, compressed, served by
# whitenoise). The key only lets the settings load: the build has no secret and no database.
RUN DEBUG=false SECRET_KEY=collectstatic-at-build-only /app/.venv/bin/python manage.py compilemessages --ignore=.venv -v0 \
    && DEBUG=false SECRET_KEY=collectstatic-at-build-only /app/.venv/bin/python manage.py collectstatic --no-input -v0

FROM python:3.12-slim-bookworm
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DEBUG=false \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin gcm
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /app/media && chown gcm:gcm /app/media
# Never root: the code and the static files are root's and read-only to the app; only the
# evidence folder (a volume, or a bucket with AWS_STORAGE_BUCKET_NAME) is writable.
USER gcm
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "gcmtracker.wsgi", "--config", "gunicorn.conf.py"]
