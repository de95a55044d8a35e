"""Settings from the environment and `.env`, validated once at start.

`load_settings()` turns every bad or missing value into one readable line and exits with code 2;
secret values are never echoed back.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import sys
from pathlib import Path
from typing import Annotated, Literal, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.snils import MIN_DIGEST_KEY_BYTES

Language = Literal["ru", "en"]
# Never echoed back in error messages (FSM_STORAGE: a redis URL may carry a password).
SECRET_FIELDS = frozenset({"bot_token", "secret_key", "webhook_secret", "fsm_storage"})
DEFAULT_DATABASE_PATH = Path("data/antibody-bot.sqlite3")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
HEALTH_PATH = "/healthz"
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _split_ints(value: object) -> object:
    if isinstance(value, str):
        parts = [part.strip() for part in value.replace(";", ",").split(",")]
        return [part for part in parts if part]
    if isinstance(value, int):
        return [value]
    return value


_TOKEN_SECRET = re.compile(r"[A-Za-z0-9_-]+")  # no spaces, no newline pasted with it
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    database_path: Path = DEFAULT_DATABASE_PATH
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    support_chat_id: int | None = None
    lab_contacts: str | None = Field(default=None, max_length=300)
    default_language: Language = "ru"
    timezone: str = "Europe/Moscow"
    secret_key: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    reminder_days: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [14, 3, 0])
    reminder_scan_seconds: int = Field(default=300, ge=1, le=86400)
    reminder_hour: int = Field(default=10, ge=0, le=23)
    # Messages a second from the bot, all chats together; Telegram's limit is about 30 (up to
    # 1000 for a bot with paid broadcasts enabled).
    send_rate_per_second: float = Field(default=28.0, gt=0, le=1000)
    # Posts to the support group per minute; Telegram's limit for a group is about 20.
    support_posts_per_minute: float = Field(default=20.0, gt=0, le=600)
    # Messages a second to one private chat after a short burst; Telegram's limit is about 1.
    send_per_chat_per_second: float = Field(default=1.0, gt=0)
    # A person's messages and taps at once, then one every FLOOD_REFILL_SECONDS; over that, the
    # bot says "slow down" once and skips what comes (bot/middlewares/fairness.py).
    flood_burst: int = Field(default=10, ge=1)
    flood_refill_seconds: float = Field(default=1.5, gt=0, le=60)
    # Each person's answers to the eligibility check, then only counted (bot/retention.py).
    check_retention_days: int = Field(default=30, ge=1, le=3650)

    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen_host: str = "0.0.0.0"
    webhook_listen_port: int = Field(default=8080, ge=1, le=65535)
    fsm_storage: str = "sqlite"

    @field_validator("bot_token", "secret_key", "webhook_secret", mode="before")
    @classmethod
    def _blank_secret_is_missing(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_url", "webhook_url", mode="before")
    @classmethod
    def _blank_url_is_missing(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/")
            if not value:
                return None
            if not value.startswith(("http://", "https://")):
                raise ValueError("must start with http:// or https://")
        return value

    @field_validator("fsm_storage", mode="before")
    @classmethod
    def _known_fsm_storage(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip() or "sqlite"
            if value.lower() in {"sqlite", "memory"}:
                return value.lower()
            if not value.startswith(REDIS_SCHEMES):
                raise ValueError("must be sqlite, memory or a redis://… URL")
        return value

    @field_validator("support_chat_id", mode="before")
    @classmethod
    def _blank_chat_is_missing(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("support_chat_id")
    @classmethod
    def _group_id(cls, value: int | None) -> int | None:
        if value is not None and value >= 0:
            raise ValueError("a group's id is negative, e.g. -1001234567890")
        return value

    @field_validator("admin_ids")
    @classmethod
    def _user_ids(cls, value: list[int]) -> list[int]:
        if any(user_id <= 0 for user_id in value):
            raise ValueError("a person's Telegram id is a positive number")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("Telegram delivers updates only to https:// addresses")
        return value

    @field_validator("webhook_listen_host")
    @classmethod
    def _listen_host(cls, value: str) -> str:
        value = value.strip()
        try:
            ipaddress.ip_address(value)
        except ValueError:
            if not _HOSTNAME.fullmatch(value):
                raise ValueError("an IP address (0.0.0.0, 127.0.0.1, ::) or a host name") from None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        return _split_ints(value)

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _parse_reminder_days(cls, value: object) -> object:
        return _split_ints(value)

    @field_validator("reminder_days")
    @classmethod
    def _reminder_days_sane(cls, value: list[int]) -> list[int]:
        if any(day < 0 or day > 180 for day in value):
            raise ValueError("each day must be between 0 and 180")
        return sorted(set(value), reverse=True)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            bot_id, _, rest = value.get_secret_value().partition(":")
            if not bot_id.isdigit() or not _TOKEN_SECRET.fullmatch(rest):
                raise ValueError("does not look like a token from @BotFather (<digits>:<secret>)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("use 1-256 characters from A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (try Europe/Moscow)") from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_path")
    @classmethod
    def _writable_database(cls, value: Path) -> Path:
        if str(value) == ":memory:":
            return value
        folder = value.expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ValueError(f"cannot create folder {folder}: {error.strerror}") from None
        if value.exists() and not os.access(value, os.W_OK):
            raise ValueError(f"{value} is not writable")
        if not os.access(folder, os.W_OK):
            raise ValueError(f"folder {folder} is not writable")
        return value

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL: what the webhook server serves (``/`` if the URL has none)."""
        from urllib.parse import urlsplit

        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def secret_key_bytes(self) -> bytes:
        if self.secret_key is None:
            raise RuntimeError("SECRET_KEY is not set")
        return self.secret_key.get_secret_value().encode()

    @property
    def snils_key(self) -> bytes | None:
        """The key of SNILS fingerprints; None without a long enough SECRET_KEY (the SNILS step
        is then skipped: the number can't be kept safely)."""
        if self.secret_key is None:
            return None
        key = self.secret_key_bytes
        return key if len(key) >= MIN_DIGEST_KEY_BYTES else None

    def require_for_telegram(self) -> list[str]:
        """Problems that stop a real run (console mode needs neither)."""
        problems = []
        if self.bot_token is None:
            problems.append("BOT_TOKEN: missing; get one from @BotFather and put it in .env")
        if self.secret_key is None:
            problems.append(
                "SECRET_KEY: missing; set a long random string "
                "(python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        elif len(self.secret_key.get_secret_value()) < 16:
            problems.append("SECRET_KEY: too short; use at least 16 characters")
        if self.webhook_url and self.webhook_secret is None:
            problems.append("WEBHOOK_SECRET: required when WEBHOOK_URL is set")
        if self.webhook_url and self.webhook_path == HEALTH_PATH:
            problems.append(f"WEBHOOK_URL: its path must not be {HEALTH_PATH} (the health check)")
        if self.fsm_storage.startswith(REDIS_SCHEMES) and importlib.util.find_spec("redis") is None:
            problems.append(
                "FSM_STORAGE: a redis URL needs the redis package: "
                "pip install 'antibody-bot[redis]'"
            )
        return problems


def describe_errors(error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "settings"
        message = item["msg"].removeprefix("Value error, ")
        if field not in SECRET_FIELDS and item.get("type") not in {"missing"}:
            raw = item.get("input")
            if isinstance(raw, str | int) and len(str(raw)) <= 60:
                message = f"{message} (got {raw!r})"
        lines.append(f"{field.upper()}: {message}")
    return lines


def load_settings(*, for_telegram: bool = True, env_file: str | None = ".env") -> Settings:
    """Read settings or exit(2) with one line per problem."""
    try:
        settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        _exit_with(describe_errors(error))
    problems = settings.require_for_telegram() if for_telegram else []
    if problems:
        _exit_with(problems)
    return settings


def _exit_with(lines: list[str]) -> NoReturn:
    for line in lines:
        print(f"config error: {line}", file=sys.stderr)
    raise SystemExit(2)
