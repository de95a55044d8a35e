"""Plain data kept by :class:`fake_telegram.FakeTelegramServer` (and handed out to tests)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BotMessage",
    "CallbackRecord",
    "Event",
    "FakeChat",
    "InlineQueryRecord",
    "RecordedRequest",
    "ServerStats",
    "StoredFile",
]

# Event kinds that count as "the bot reacted" when a simulated user waits.
REACTION_KINDS = frozenset(
    {"sent", "edited", "deleted", "callback_answer", "inline_answer", "error"}
)
MESSAGE_KINDS = frozenset({"sent", "edited"})


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes | None
    file_name: str | None = None
    mime_type: str | None = None
    file_path: str = ""
    width: int = 0
    height: int = 0


@dataclass
class BotMessage:
    """A message in a chat as it currently is (``server.chats[id].messages``) or a snapshot
    returned to a simulated user. ``text``/``caption`` are the *visible* texts (after parse_mode);
    ``html``/``caption_html`` what the bot sent."""

    chat_id: int
    message_id: int
    kind: str  # "text" | "photo" | "document"
    date: int
    text: str | None = None
    html: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_html: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    photo: bytes | None = None
    document: bytes | None = None
    file_name: str | None = None
    file_id: str | None = None
    reply_to_message_id: int | None = None
    edited: bool = False
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def content(self) -> str:
        """Visible text of the message: its text, or its caption for media."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def buttons(self) -> list[list[str]]:
        """Labels of the inline keyboard, row by row (``[]`` without one)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [[b.get("text", "") for b in row] for row in rows]

    @property
    def keyboard(self) -> list[list[str]]:
        """Labels of a reply keyboard sent with the message (``[]`` without one)."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]

    @property
    def button_labels(self) -> list[str]:
        return [label for row in self.buttons for label in row]

    def button(self, label: str) -> dict[str, Any]:
        """The inline button dict with exactly this label (KeyError if absent)."""
        for row in (self.reply_markup or {}).get("inline_keyboard") or []:
            for b in row:
                if b.get("text") == label:
                    return dict(b)
        raise KeyError(label)

    def callback_data(self, label: str) -> str | None:
        return self.button(label).get("callback_data")

    def snapshot(self) -> BotMessage:
        return copy.deepcopy(self)

    def __str__(self) -> str:
        head = f"#{self.message_id} {self.kind}{' (edited)' if self.edited else ''}"
        body = self.content.replace("\n", "⏎")
        if len(body) > 200:
            body = body[:200] + "…"
        buttons = f" buttons={self.buttons}" if self.buttons else ""
        return f"{head}: {body!r}{buttons}"


@dataclass
class FakeChat:
    id: int
    type: str  # "private" | "group" | "supergroup" | "channel"
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    messages: list[BotMessage] = field(default_factory=list)
    """Current state of every (not deleted) message the bot sent here, oldest first."""
    deleted: list[BotMessage] = field(default_factory=list)
    incoming: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Messages users sent here (raw Telegram dicts) by message_id."""
    started: bool = False
    """Private chats only: the user has written to the bot (else the bot can't initiate)."""
    blocked: bool = False
    menu_button: dict[str, Any] | None = None
    administrators: set[int] = field(default_factory=set)
    next_message_id: int = 1

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    def find(self, message_id: int) -> BotMessage | None:
        for message in reversed(self.messages):
            if message.message_id == message_id:
                return message
        return None

    @property
    def last_message(self) -> BotMessage | None:
        return self.messages[-1] if self.messages else None

    def take_message_id(self) -> int:
        value = self.next_message_id
        self.next_message_id += 1
        return value


@dataclass
class RecordedRequest:
    method: str
    params: dict[str, Any]
    time: float
    """``time.time()`` when the request arrived."""
    token: str
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    chat_id: int | None = None
    status: int = 0
    result: Any = field(default=None, repr=False)
    description: str | None = None
    injected: bool = False
    """The error was produced by fault injection (fail_next / block_user / flood_limit)."""

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class Event:
    seq: int
    time: float  # loop time
    kind: str
    chat_id: int | None
    method: str
    message_id: int | None = None
    ref: str | None = None  # callback query id / inline query id
    request: RecordedRequest | None = field(default=None, repr=False)


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: dict[str, Any] | None = None


@dataclass
class InlineQueryRecord:
    id: str
    user_id: int
    query: str
    offset: str
    answered: bool = False
    results: list[dict[str, Any]] = field(default_factory=list)
    answer: dict[str, Any] | None = None


@dataclass
class ServerStats:
    requests: int = 0
    errors: int = 0
    flood_429: int = 0
    """429 answers produced by the flood limiter (first violation of a window)."""
    sends_during_retry_after: int = 0
    """Rate-limited requests that arrived while an announced retry_after window was running."""
    by_method: dict[str, int] = field(default_factory=dict)
