"""Loopback fake of the Telegram Bot API plus simulated users (tests, benchmarks, console mode)."""

from .client import SimulatedUser
from .html import EntityParseError, parse_html, utf16_len
from .models import (
    BotMessage,
    CallbackRecord,
    Event,
    FakeChat,
    InlineQueryRecord,
    RecordedRequest,
    ServerStats,
    StoredFile,
)
from .server import ApiError, FakeTelegramServer

__all__ = [
    "ApiError",
    "BotMessage",
    "CallbackRecord",
    "EntityParseError",
    "Event",
    "FakeChat",
    "FakeTelegramServer",
    "InlineQueryRecord",
    "RecordedRequest",
    "ServerStats",
    "SimulatedUser",
    "StoredFile",
    "parse_html",
    "utf16_len",
]
