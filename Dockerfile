# One image for both the web and the worker processes (see docker-compose.yml).
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Only the runtime lock: every package pinned with its hashes, checked on install.
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --require-hashes -r requirements/runtime.lock

COPY . .

RUN useradd --create-home --uid 10001 copydesk \
    && mkdir -p /app/instance \
    && chown -R copydesk:copydesk /app/instance
USER copydesk

EXPOSE 8000

# The web process; the worker overrides this with `python worker.py`.
CMD ["gunicorn", "wsgi:app", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--threads", "8", "--workers", "2", "--access-logfile", "-", "--logger-class", "webapp.access_log.RedactingLogger"]
