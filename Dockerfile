# antibody-bot: polling by default; webhook mode when WEBHOOK_URL is set (listens on 8080).
#   docker build -t antibody-bot .
#   docker run -d --name antibody-bot --env-file .env -v antibody-data:/data --stop-timeout 45 antibody-bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# DejaVu: the certificate card draws Cyrillic text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir /data && chown bot:bot /data && chmod 700 /data

WORKDIR /app
COPY . /app
# The code runs from /app (python -m bot finds ./bot first): the texts in /app/locales are next to it.
RUN pip install . && python -m compileall -q /app/bot /app/domain /app/storage /app/fake_telegram

ENV DATABASE_PATH=/data/antibody-bot.sqlite3 \
    WEBHOOK_LISTEN_HOST=0.0.0.0 \
    WEBHOOK_LISTEN_PORT=8080 \
    LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080

USER bot
# SIGTERM: the updates in hand finish (up to 20 s), then the database is closed: give it time
# (docker stop --time 45, compose stop_grace_period: 45s).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
