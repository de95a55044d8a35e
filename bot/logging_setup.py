"""Logging: readable text by default, one JSON object per line with LOG_FORMAT=json.

Every record passes two filters on the handler (so records of every logger, aiogram's included):

- :class:`UpdateContextFilter` copies the per-update context (update id, user id, handler name, set
  by :mod:`bot.middlewares.logcontext`) onto the record unless the caller passed its own;
- :class:`RedactFilter` is defence in depth: the bot token (the literal one, and anything shaped
  like ``bot<digits>:<secret>`` in a URL or like a @BotFather token), a SNILS in any notation and
  e-mails are replaced in the message and the traceback before anything is written.

What is logged is still the callers' business: ids, never message text at INFO, never SNILS.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.middlewares.logcontext import current_update_context
from domain.personal_data import mask_emails, mask_snils

CONTEXT_FIELDS = ("update_id", "user_id", "handler", "event", "mode", "database", "version")
UPDATE_FIELDS = ("update_id", "user_id", "handler")
TEXT_LABELS = (("update_id", "update"), ("user_id", "user"), ("handler", "handler"))

REDACTED = "[REDACTED]"
# bot<id>:<secret> in Bot API URLs, and bare tokens as @BotFather issues them (id:35 chars).
_TOKEN_PATTERNS = (
    re.compile(r"bot\d+:[A-Za-z0-9_-]+"),
    re.compile(r"(?<![\w-])\d{5,}:[A-Za-z0-9_-]{30,}"),
)


class Redactor:
    """Replaces secrets in text: the known ones literally, plus token- and SNILS-shaped strings."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern in _TOKEN_PATTERNS:
            text = pattern.sub(REDACTED, text)
        # the same filter as for kept text (domain/personal_data.py), phones aside: a phone-shaped
        # number in a log line is far more often a Telegram id than a phone
        return mask_emails(mask_snils(text))


class RedactFilter(logging.Filter):
    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw parts
            message = f"{record.msg!r} {record.args!r}"
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class UpdateContextFilter(logging.Filter):
    """Adds update_id / user_id / handler of the update being handled (if any) to the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_update_context()
        if context:
            for field in UPDATE_FIELDS:
                if getattr(record, field, None) is None and context.get(field) is not None:
                    setattr(record, field, context[field])
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in CONTEXT_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message [update=… user=… handler=…]``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        parts = [
            f"{label}={getattr(record, field)}"
            for field, label in TEXT_LABELS
            if getattr(record, field, None) is not None
        ]
        return f"{line} [{' '.join(parts)}]" if parts else line


def setup_logging(level: str = "INFO", fmt: str = "text", *, secrets: Iterable[str] = ()) -> None:
    """Configure the root logger; ``secrets`` (the bot token...) are redacted from every line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(UpdateContextFilter())
    handler.addFilter(RedactFilter(Redactor(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_libraries(level)
    # aiogram (and others) report some problems with warnings.warn: through the same handler,
    # so through the same redaction, instead of straight to stderr
    logging.captureWarnings(False)  # forget a capture whose hook someone else has replaced since
    logging.captureWarnings(True)


def quiet_libraries(level: str) -> None:
    """What libraries may log, whatever LOG_LEVEL says."""
    # aiogram logs every handled update at INFO with its id only; keep it, it carries no text.
    # aiosqlite would log every statement with its parameters at DEBUG (what people typed): never.
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    # aiohttp's access log is one line per webhook request (peer, path, status): only with DEBUG, so
    # a busy bot's log is about updates, not HTTP.
    logging.getLogger("aiohttp.access").setLevel(logging.DEBUG if level == "DEBUG" else "WARNING")
