# ruff: noqa: ASYNC109  (a "timeout" argument is part of this API; it bounds a wait, not I/O)
"""A loopback fake of the Telegram Bot API (aiohttp), strict where Telegram is strict."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import math
import re
import socket
import struct
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .html import EntityParseError, parse_text, utf16_len
from .models import (
    MESSAGE_KINDS,
    REACTION_KINDS,
    BotMessage,
    CallbackRecord,
    Event,
    FakeChat,
    InlineQueryRecord,
    RecordedRequest,
    ServerStats,
    StoredFile,
)

if TYPE_CHECKING:
    from .client import SimulatedUser

__all__ = ["ApiError", "FakeTelegramServer"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID = 64
MAX_CALLBACK_ANSWER = 200
MAX_KEYBOARD_BUTTONS = 100
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages",
        "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
        "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member",
        "chat_join_request", "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip
# Everything that sends a message to a chat (limited by flood control, blocked users...).
SEND_METHODS = frozenset(
    {
        "sendmessage", "sendphoto", "senddocument", "copymessage", "forwardmessage",
        "sendaudio", "sendvideo", "sendanimation", "sendvoice", "sendsticker", "sendlocation",
        "sendcontact", "sendpoll", "senddice", "sendmediagroup", "sendvideonote", "sendvenue",
    }
)  # fmt: skip
EDIT_METHODS = frozenset(
    {"editmessagetext", "editmessagecaption", "editmessagereplymarkup", "editmessagemedia"}
)
LIMITED_METHODS = SEND_METHODS | EDIT_METHODS
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)  # fmt: skip
BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
_TOKEN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_BUTTON_URL = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)


class ApiError(Exception):
    """An error answer of the Bot API (``{"ok": false, ...}``)."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        injected: bool = False,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.injected = injected

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            data["parameters"] = {"retry_after": self.retry_after}
        return data


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


@dataclass
class _Fault:
    status: int
    times: int
    retry_after: int | None
    description: str | None


@dataclass
class _FloodLimit:
    per_second: float | None
    per_chat_per_second: float | None
    per_group_per_minute: float | None
    per_chat_burst: int = 3


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/JPEG/GIF/WebP/BMP image, or None if it isn't one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return w, h
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return w, h
    if data.startswith(b"BM") and len(data) >= 26:
        w, h = struct.unpack("<ii", data[18:26])
        return abs(w), abs(h)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 1, 1
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return w, h
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            i += 2 + length
        return 1, 1
    return None


def _update_type(update: dict[str, Any]) -> str:
    for key in update:
        if key != "update_id":
            return key
    return "unknown"


class FakeTelegramServer:
    """Fake Bot API on 127.0.0.1; use as ``async with FakeTelegramServer() as server``.

    ``server.base_url`` works with ``TelegramAPIServer.from_base(...)`` and as TELEGRAM_API_URL.
    """

    def __init__(
        self,
        *,
        bot_username: str = "antibody_test_bot",
        bot_first_name: str = "Antibody Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        settle: float = 0.04,
        timeout: float = 10.0,
        validate_images: bool = True,
        check_bot_errors: bool = True,
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.port = port
        self.settle = settle
        """Quiet window (s) after the last reaction before a simulated user's action returns."""
        self.timeout = timeout
        """Default overall timeout (s) of a simulated user's action."""
        self.validate_images = validate_images
        self.check_bot_errors = check_bot_errors
        """Simulated users raise AssertionError when the bot's requests for their chat got a
        (non-injected) 4xx during the action."""

        self.bot_id: int = 123
        self.token: str | None = None
        self.requests: list[RecordedRequest] = []
        self.errors: list[RecordedRequest] = []
        self.events: list[Event] = []
        self.stats = ServerStats()
        self.chats: dict[int, FakeChat] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.inline_queries: dict[str, InlineQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.bot_settings: dict[tuple[str, str], Any] = {}
        self.default_menu_button: dict[str, Any] | None = None
        self.webhook: dict[str, Any] | None = None
        self.allowed_updates: list[str] | None = None
        self.updates: list[dict[str, Any]] = []
        """Pending (not yet confirmed) updates."""
        self.delivered: dict[int, float] = {}
        """update_id → loop time when getUpdates returned it."""
        self.dropped_updates: list[dict[str, Any]] = []
        self.closed_sessions: list[str] = []
        self.listeners: list[Callable[[Event], None]] = []
        """Called with every Event (bot request outcome) — e.g. console mode prints messages."""

        self._sim_users: dict[int, SimulatedUser] = {}
        self._tracking = False
        self._processing: set[int] = set()
        self._processed: set[int] = set()
        self._chat_events: dict[int | None, list[Event]] = {}
        self._delivered_seq: dict[int, int] = {}
        self._next_update_id = 1
        self._seq = 0
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._inflight: Counter[int | None] = Counter()
        self._last_activity: dict[int | None, float] = {}
        self._last_activity_any = 0.0
        self._poll_generation = 0
        self._closing = False
        self._blocked: set[int] = set()
        self._faults: dict[str | None, deque[_Fault]] = {}
        self._flood: _FloodLimit | None = None
        self._flood_global: deque[float] = deque()
        self._flood_chat: dict[int, deque[float]] = {}
        self._chat_buckets: dict[int, tuple[float, float]] = {}  # level, when
        self._retry_until_global = 0.0
        self._retry_until_chat: dict[int, float] = {}
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[dict[str, Any], dict[str, Any]], Awaitable[Any]]] = {
            name[len("_m_") :].replace("_", ""): getattr(self, name)
            for name in dir(self)
            if name.startswith("_m_")
        }

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_FILE_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        site = web.SockSite(self._runner, sock)
        await site.start()

    async def close(self) -> None:
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # ------------------------------------------------------------------ registry
    def user(
        self,
        user_id: int | None = None,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        started: bool = False,
    ) -> SimulatedUser:
        """A simulated person (and their private chat). Same id → same object."""
        from .client import SimulatedUser

        if user_id is None:
            user_id = 100_000 + len(self._sim_users) + 1
        if user_id in self._sim_users:
            return self._sim_users[user_id]
        if user_id <= 0:
            raise ValueError("user ids are positive")
        data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            data["last_name"] = last_name
        if username:
            data["username"] = username
        if language_code:
            data["language_code"] = language_code
        self.users[user_id] = data
        chat = self.chats.get(user_id)
        if chat is None:
            chat = FakeChat(
                id=user_id,
                type="private",
                username=username,
                first_name=first_name,
                last_name=last_name,
            )
            self.chats[user_id] = chat
        chat.started = chat.started or started
        sim = SimulatedUser(self, data)
        self._sim_users[user_id] = sim
        return sim

    def group(
        self,
        chat_id: int | None = None,
        title: str = "Group",
        *,
        type: str = "supergroup",
        username: str | None = None,
        administrators: Iterable[int] = (),
    ) -> FakeChat:
        """Register a group/supergroup the bot is a member of."""
        if type not in ("group", "supergroup", "channel"):
            raise ValueError(f"unknown chat type {type!r}")
        if chat_id is None:
            n = sum(1 for c in self.chats.values() if c.type != "private") + 1
            chat_id = -(1_000_000_000_000 + n) if type != "group" else -(1000 + n)
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = FakeChat(id=chat_id, type=type, title=title, username=username, started=True)
            self.chats[chat_id] = chat
        chat.administrators.update(administrators)
        return chat

    def chat(self, chat_id: int) -> FakeChat:
        return self.chats[chat_id]

    def sent_to(self, chat_id: int) -> list[BotMessage]:
        """Current state of the bot's (not deleted) messages in a chat, oldest first."""
        chat = self.chats.get(chat_id)
        return list(chat.messages) if chat else []

    def requests_for(self, method: str) -> list[RecordedRequest]:
        key = method.lower()
        return [r for r in self.requests if r.method.lower() == key]

    def unanswered_callbacks(self) -> list[CallbackRecord]:
        """Callback queries the bot never answered (the user's client would show a spinner)."""
        return [c for c in self.callbacks.values() if not c.answered]

    def my_commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        return list(self.commands.get((self._scope_key(scope), language_code), []))

    # ------------------------------------------------------------------ fault injection
    def block_user(self, user_id: int, *, notify: bool = True) -> None:
        """Sends to this user → 403 "Forbidden: bot was blocked by the user"."""
        self._blocked.add(user_id)
        if user_id in self.chats:
            self.chats[user_id].blocked = True
        if notify and user_id in self.users:
            self._enqueue_member_update(user_id, "member", "kicked")

    def unblock_user(self, user_id: int, *, notify: bool = True) -> None:
        self._blocked.discard(user_id)
        if user_id in self.chats:
            self.chats[user_id].blocked = False
        if notify and user_id in self.users:
            self._enqueue_member_update(user_id, "kicked", "member")

    def flood_limit(
        self,
        per_second: float | None = 30,
        per_chat_per_second: float | None = 1,
        per_group_per_minute: float | None = 20,
        per_chat_burst: int = 3,
    ) -> None:
        """Enable a flood limiter on message-sending and editing methods. ``None`` disables a
        limit. Violations are answered 429 with retry_after.

        The bot and a group: at most ``per_second`` (``per_group_per_minute``) in any second
        (minute). A private chat: Telegram "may allow short bursts" over about one a second, so a
        bucket of ``per_chat_burst`` messages refilled at ``per_chat_per_second``."""
        self._flood = _FloodLimit(
            per_second, per_chat_per_second, per_group_per_minute, per_chat_burst
        )

    def no_flood_limit(self) -> None:
        self._flood = None

    def fail_next(
        self,
        method: str | None,
        status: int = 500,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` (``None`` = any except getUpdates) fail."""
        if status == 429 and retry_after is None:
            retry_after = 5
        key = method.lower() if method else None
        self._faults.setdefault(key, deque()).append(
            _Fault(status=status, times=times, retry_after=retry_after, description=description)
        )

    def clear_faults(self) -> None:
        self._faults.clear()
        self._flood = None
        self._retry_until_chat.clear()
        self._retry_until_global = 0.0

    # ------------------------------------------------------------------ updates
    def enqueue_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (``update_id`` is assigned unless present); returns its id."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, update["update_id"]) + 1
        self.updates.append(update)
        self._notify()
        return int(update["update_id"])

    def _enqueue_member_update(self, user_id: int, old: str, new: str) -> None:
        user = self.users[user_id]
        now = int(time.time())
        self.enqueue_update(
            {
                "my_chat_member": {
                    "chat": self.chats[user_id].to_dict(),
                    "from": user,
                    "date": now,
                    "old_chat_member": {"status": old, "user": self.bot_user, "until_date": 0}
                    if old == "kicked"
                    else {"status": old, "user": self.bot_user},
                    "new_chat_member": {"status": new, "user": self.bot_user, "until_date": 0}
                    if new == "kicked"
                    else {"status": new, "user": self.bot_user},
                }
            }
        )

    def new_incoming_message(
        self,
        user: dict[str, Any],
        chat: FakeChat,
        *,
        text: str | None = None,
        photo: bytes | None = None,
        document: bytes | None = None,
        file_name: str | None = None,
        caption: str | None = None,
        reply_to: BotMessage | dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Store a message written by a user and queue the update → (update_id, message)."""
        if chat.type == "private":
            chat.started = True
        message: dict[str, Any] = {
            "message_id": chat.take_message_id(),
            "from": user,
            "chat": chat.to_dict(),
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
        if photo is not None:
            stored = self._store_file(photo, kind="photos", file_name="photo.jpg")
            message["photo"] = [self._photo_size(stored)]
        if document is not None:
            stored = self._store_file(document, kind="documents", file_name=file_name or "file")
            message["document"] = self._document_dict(stored)
        if caption is not None:
            message["caption"] = caption
        if reply_to is not None:
            if isinstance(reply_to, BotMessage):
                target = self.chats[reply_to.chat_id].find(reply_to.message_id)
                reply_to = (target or reply_to).raw
            message["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        if extra:
            message.update(extra)
        chat.incoming[message["message_id"]] = message
        update_id = self.enqueue_update({"message": message})
        return update_id, message

    def new_callback_query(
        self, user: dict[str, Any], message: BotMessage, data: str
    ) -> tuple[int, CallbackRecord]:
        query_id = str(next(self._ids) * 7919 + 10**15)
        record = CallbackRecord(
            id=query_id,
            user_id=user["id"],
            chat_id=message.chat_id,
            message_id=message.message_id,
            data=data,
        )
        self.callbacks[query_id] = record
        chat_instance = str(int(hashlib.sha1(str(message.chat_id).encode()).hexdigest()[:15], 16))
        update_id = self.enqueue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": message.raw,
                    "chat_instance": chat_instance,
                    "data": data,
                }
            }
        )
        return update_id, record

    def new_inline_query(
        self, user: dict[str, Any], query: str, offset: str = "", chat_type: str | None = "sender"
    ) -> tuple[int, InlineQueryRecord]:
        query_id = str(next(self._ids) * 104729 + 10**16)
        record = InlineQueryRecord(id=query_id, user_id=user["id"], query=query, offset=offset)
        self.inline_queries[query_id] = record
        payload: dict[str, Any] = {"id": query_id, "from": user, "query": query, "offset": offset}
        if chat_type:
            payload["chat_type"] = chat_type
        update_id = self.enqueue_update({"inline_query": payload})
        return update_id, record

    # ------------------------------------------------------------------ in-process tracking
    def attach(self, dispatcher: Any) -> None:
        """Track when an in-process aiogram Dispatcher has *finished* handling each update
        (outer middleware on ``dispatcher.update``). Simulated users then wait for the
        handler's completion instead of relying on the settle window alone."""
        dispatcher.update.outer_middleware(self._track_update)
        self._tracking = True

    async def _track_update(
        self,
        handler: Callable[[Any, dict[str, Any]], Awaitable[Any]],
        event: Any,
        data: dict[str, Any],
    ) -> Any:
        update_id = getattr(event, "update_id", None)
        if update_id is None:
            return await handler(event, data)
        self._processing.add(update_id)
        self._notify()
        try:
            return await handler(event, data)
        finally:
            self._processing.discard(update_id)
            self._processed.add(update_id)
            self._notify()

    # ------------------------------------------------------------------ waiting
    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, condition: Callable[[], bool], deadline: float) -> bool:
        loop = asyncio.get_running_loop()
        while True:
            changed = self._changed
            if condition():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _events_since(self, chats: set[int] | None, seq: int) -> list[Event]:
        sources = [self.events] if chats is None else [self._chat_events.get(c, []) for c in chats]
        found: list[Event] = []
        for events in sources:
            for event in reversed(events):
                if event.seq <= seq:
                    break
                found.append(event)
        found.sort(key=lambda e: e.seq)
        return found

    def _inflight_for(self, chats: set[int] | None) -> int:
        if chats is None:
            return sum(self._inflight.values())
        return sum(self._inflight[c] for c in chats)

    async def _wait_quiet(
        self, chats: set[int] | None, since_time: float, settle: float, deadline: float
    ) -> bool:
        loop = asyncio.get_running_loop()
        while True:
            changed = self._changed
            now = loop.time()
            if chats is None:
                last = max(since_time, self._last_activity_any)
            else:
                last = max([since_time, *(self._last_activity.get(c, 0.0) for c in chats)])
            busy = self._inflight_for(chats) > 0
            if not busy and now - last >= settle:
                return True
            remaining = deadline - now
            if remaining <= 0:
                return False
            wait = remaining if busy else min(remaining, settle - (now - last))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), max(wait, 0.001))

    async def wait_for_reaction(
        self,
        update_id: int,
        *,
        chats: set[int] | None,
        first: Callable[[Event], bool] | None = None,
        expect: int | None = None,
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
        what: str = "action",
    ) -> list[BotMessage]:
        """Wait for the bot's reaction to an update; return new/edited messages (snapshots).

        1. the update is taken by getUpdates (or pushed to the webhook);
        2. at least one reaction (``expect`` messages if given) in ``chats`` (None = any chat);
        3. ``settle`` seconds without any activity for those chats and no in-flight request.
        ``expect=0`` waits the update's delivery and a quiet window, and asserts nothing came.
        """
        loop = asyncio.get_running_loop()
        settle = self.settle if settle is None else settle
        timeout = self.timeout if timeout is None else timeout
        check_errors = self.check_bot_errors if check_errors is None else check_errors
        deadline = loop.time() + timeout

        def delivered() -> bool:
            return update_id in self.delivered or any(
                u["update_id"] == update_id for u in self.dropped_updates
            )

        if not await self._wait_until(delivered, deadline):
            raise AssertionError(
                f"{what}: update {update_id} was not fetched by the bot within {timeout}s "
                f"(is polling running? last getUpdates: {self._last_poll_info()})"
            )
        dropped = [u for u in self.dropped_updates if u["update_id"] == update_id]
        if dropped:
            raise AssertionError(
                f"{what}: update of type {_update_type(dropped[0])!r} is not in the bot's "
                f"allowed_updates {self.allowed_updates!r} (no handler for it?)"
            )
        since_seq = self._delivered_seq[update_id]
        since_time = self.delivered[update_id]

        def is_reaction(e: Event) -> bool:
            if first is not None and first(e):
                return True
            return e.kind in REACTION_KINDS and e.kind not in ("callback_answer", "inline_answer")

        def enough() -> bool:
            events = self._events_since(chats, since_seq)
            if expect:
                return sum(1 for e in events if e.kind in MESSAGE_KINDS) >= expect
            return any(is_reaction(e) for e in events)

        if self._tracking:
            if not await self._wait_until(lambda: update_id in self._processed, deadline):
                raise AssertionError(
                    f"{what}: the bot's handler did not finish within {timeout}s\n"
                    + self._timeout_report(what, chats, since_seq, timeout, expect)
                )
            await self._wait_quiet(chats, since_time, 0.0, deadline)
            if expect != 0 and not enough():
                # the handler is done: whatever was going to be sent has been sent
                await self._wait_quiet(chats, since_time, settle, deadline)
                if not enough():
                    raise AssertionError(
                        f"{what}: the bot handled the update without the expected reaction\n"
                        + self._timeout_report(what, chats, since_seq, timeout, expect)
                    )
        if expect != 0 and not await self._wait_until(enough, deadline):
            raise AssertionError(self._timeout_report(what, chats, since_seq, timeout, expect))
        quiet = settle if expect != 0 or self._tracking else max(settle, 0.2)
        if not await self._wait_quiet(chats, since_time, quiet, deadline):
            raise AssertionError(
                f"{what}: the bot did not go quiet within {timeout}s\n"
                + self._timeout_report(what, chats, since_seq, timeout, expect)
            )
        events = self._events_since(chats, since_seq)
        if check_errors:
            failed = [
                e.request
                for e in events
                if e.kind == "error" and e.request is not None and not e.request.injected
            ]
            if failed:
                listing = "\n".join(
                    f"  {r.method} → {r.status} {r.description}  params={_short(r.params)}"
                    for r in failed
                )
                raise AssertionError(f"{what}: the bot's requests were rejected:\n{listing}")
        messages = self._messages_from(events)
        if expect == 0 and any(e.kind in MESSAGE_KINDS for e in events):
            raise AssertionError(
                f"{what}: expected no reply, got:\n" + "\n".join(f"  {m}" for m in messages)
            )
        return messages

    def _messages_from(self, events: list[Event]) -> list[BotMessage]:
        seen: dict[tuple[int, int], None] = {}
        for event in events:
            if event.kind in MESSAGE_KINDS and event.chat_id is not None and event.message_id:
                seen[(event.chat_id, event.message_id)] = None
        result = []
        for chat_id, message_id in seen:
            message = self.chats[chat_id].find(message_id)
            if message is not None:
                result.append(message.snapshot())
        return result

    def _last_poll_info(self) -> str:
        polls = [r for r in reversed(self.requests[-200:]) if r.method.lower() == "getupdates"]
        if not polls:
            return "never called"
        ago = time.time() - polls[0].time
        return f"{ago:.1f}s ago, params={polls[0].params}"

    def _timeout_report(
        self, what: str, chats: set[int] | None, since_seq: int, timeout: float, expect: int | None
    ) -> str:
        wanted = f"{expect} message(s)" if expect else "a reaction"
        lines = [f"{what}: expected {wanted} from the bot (timeout {timeout}s)"]
        for chat_id in sorted(chats or self.chats):
            chat = self.chats.get(chat_id)
            if chat is None:
                continue
            lines.append(f"chat {chat_id} ({chat.type}) currently holds:")
            lines.extend(f"  {m}" for m in chat.messages[-10:]) if chat.messages else lines.append(
                "  (no bot messages)"
            )
        events = self._events_since(chats, since_seq)
        if events:
            lines.append("since the update was delivered:")
            lines.extend(
                f"  {e.kind} {e.method} msg={e.message_id}"
                + (f" → {e.request.status} {e.request.description}" if e.request else "")
                for e in events
            )
        lines.append(f"in-flight requests: {self._inflight_for(chats)}")
        return "\n".join(lines)

    async def wait_polling(self, timeout: float | None = None) -> None:
        """Wait until the bot has made its first getUpdates call (polling is running)."""
        loop = asyncio.get_running_loop()
        timeout = self.timeout if timeout is None else timeout

        def polling() -> bool:
            return any(r.method.lower() == "getupdates" for r in reversed(self.requests))

        if not await self._wait_until(polling, loop.time() + timeout):
            raise AssertionError(f"the bot did not start polling within {timeout}s")

    async def idle(self, *, settle: float | None = None, timeout: float | None = None) -> None:
        """Wait until every queued update was fetched (and, with ``attach``, handled), no request
        is in flight and nothing happened for ``settle`` seconds (default: max(settle, 0.1))."""
        loop = asyncio.get_running_loop()
        timeout = self.timeout if timeout is None else timeout
        settle = max(self.settle, 0.1) if settle is None else settle
        deadline = loop.time() + timeout

        def fetched() -> bool:
            delivered = all(u["update_id"] in self.delivered for u in self.updates)
            if not self._tracking:
                return delivered
            handled = all(uid in self._processed for uid in self.delivered)
            return delivered and handled and not self._processing

        if not await self._wait_until(fetched, deadline):
            raise AssertionError(f"idle: updates not fetched within {timeout}s: {self.updates}")
        last_delivery = max(self.delivered.values(), default=0.0)
        if not await self._wait_quiet(None, last_delivery, settle, deadline):
            raise AssertionError(f"idle: the bot was still busy after {timeout}s")

    # ------------------------------------------------------------------ HTTP layer
    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, bytes] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = value.file.read()
                        if value.filename:
                            files[f"{key}#filename"] = value.filename.encode()
                    else:
                        params[key] = value
        return params, files

    def _request_chat_key(self, method: str, params: dict[str, Any]) -> int | None:
        if method == "answercallbackquery":
            record = self.callbacks.get(str(params.get("callback_query_id")))
            return record.chat_id if record else None
        if method == "answerinlinequery":
            inline = self.inline_queries.get(str(params.get("inline_query_id")))
            return inline.user_id if inline else None
        raw = params.get("chat_id")
        if raw is None:
            return None
        with contextlib.suppress(ApiError):
            chat = self._find_chat(raw)
            return chat.id if chat else None
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method_name = request.match_info["method"]
        method = method_name.lower()
        match = _TOKEN.match(token)
        if not match:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        self.bot_id = int(match.group(1))
        self.token = token
        try:
            params, files = await self._read_params(request)
        except (ValueError, json.JSONDecodeError):
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: invalid JSON"},
                status=400,
            )
        loop = asyncio.get_running_loop()
        record = RecordedRequest(
            method=method_name,
            params={k: _decode_param(k, v) for k, v in params.items()},
            time=time.time(),
            token=token,
            files={k: v for k, v in files.items() if "#" not in k},
        )
        self.requests.append(record)
        self.stats.requests += 1
        self.stats.by_method[method_name] = self.stats.by_method.get(method_name, 0) + 1
        polling = method == "getupdates"
        chat_key = None if polling else self._request_chat_key(method, params)
        record.chat_id = chat_key
        if not polling:
            self._inflight[chat_key] += 1
            self._notify()
        status = 200
        payload: dict[str, Any]
        try:
            if polling:
                result = await self._get_updates(params, request)
            else:
                handler = self._methods.get(method)
                if handler is None:
                    raise ApiError(404, "Not Found")
                self._inject_faults(method, chat_key)
                if method in LIMITED_METHODS:
                    self._check_flood(chat_key, loop.time())
                result = await handler(params, files)
            payload = {"ok": True, "result": result}
        except ApiError as error:
            status = error.status
            payload = error.payload()
            record.injected = error.injected
            record.description = error.description
            self.errors.append(record)
            self.stats.errors += 1
        finally:
            if not polling:
                self._inflight[chat_key] -= 1
                if not self._inflight[chat_key]:
                    del self._inflight[chat_key]
        record.status = status
        record.result = payload.get("result")
        if not polling:
            self._record_event(method, record, payload.get("result"), params)
        return web.json_response(payload, status=status, dumps=_dumps)

    def _record_event(
        self, method: str, record: RecordedRequest, result: Any, params: dict[str, Any]
    ) -> None:
        kind = "other"
        message_id: int | None = None
        ref: str | None = None
        if not record.ok:
            kind = "error"
        elif method in SEND_METHODS:
            kind = "sent"
            message_id = result.get("message_id") if isinstance(result, dict) else None
        elif method in EDIT_METHODS:
            kind = "edited"
            message_id = result.get("message_id") if isinstance(result, dict) else None
        elif method in ("deletemessage", "deletemessages"):
            kind = "deleted"
            with contextlib.suppress(TypeError, ValueError):
                message_id = int(params.get("message_id") or 0) or None
        elif method == "answercallbackquery":
            kind = "callback_answer"
            ref = str(params.get("callback_query_id"))
        elif method == "answerinlinequery":
            kind = "inline_answer"
            ref = str(params.get("inline_query_id"))
        elif method == "sendchataction":
            kind = "action"
        self._seq += 1
        event = Event(
            seq=self._seq,
            time=asyncio.get_running_loop().time(),
            kind=kind,
            chat_id=record.chat_id,
            method=record.method,
            message_id=message_id,
            ref=ref,
            request=record,
        )
        self.events.append(event)
        self._chat_events.setdefault(record.chat_id, []).append(event)
        self._last_activity[record.chat_id] = event.time
        self._last_activity_any = event.time
        self._notify()
        for listener in list(self.listeners):
            listener(event)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path and stored.data is not None:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # ------------------------------------------------------------------ fault helpers
    def _inject_faults(self, method: str, chat_key: int | None) -> None:
        for key in (method, None):
            queue = self._faults.get(key)
            if not queue:
                continue
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.popleft()
            if fault.status == 429:
                retry = fault.retry_after or 5
                self._announce_retry(chat_key, retry)
                raise ApiError(
                    429,
                    fault.description or f"Too Many Requests: retry after {retry}",
                    retry_after=retry,
                    injected=True,
                )
            default = {
                400: "Bad Request: injected failure",
                401: "Unauthorized",
                403: BLOCKED,
                404: "Not Found",
                409: "Conflict: terminated by other getUpdates request",
                502: "Bad Gateway",
                503: "Service Unavailable",
                504: "Gateway Timeout",
            }.get(fault.status, "Internal Server Error")
            raise ApiError(fault.status, fault.description or default, injected=True)

    def _announce_retry(self, chat_key: int | None, retry_after: int) -> None:
        until = asyncio.get_running_loop().time() + retry_after
        if chat_key is None:
            self._retry_until_global = max(self._retry_until_global, until)
        else:
            self._retry_until_chat[chat_key] = max(self._retry_until_chat.get(chat_key, 0), until)

    def _check_flood(self, chat_key: int | None, now: float) -> None:
        until = max(
            self._retry_until_global,
            self._retry_until_chat.get(chat_key, 0.0) if chat_key is not None else 0.0,
        )
        if now < until:
            self.stats.sends_during_retry_after += 1
            retry = max(1, math.ceil(until - now))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry}", retry_after=retry, injected=True
            )
        limit = self._flood
        if limit is None:
            return
        window_global = self._flood_global
        while window_global and now - window_global[0] >= 1.0:
            window_global.popleft()
        if limit.per_second is not None and len(window_global) >= limit.per_second:
            self._flood_violation(None, window_global[0] + 1.0 - now)
        if chat_key is not None and chat_key < 0:
            window = self._flood_chat.setdefault(chat_key, deque())
            while window and now - window[0] >= 60.0:
                window.popleft()
            allowed = limit.per_group_per_minute
            if allowed is not None and len(window) >= max(allowed, 1):
                self._flood_violation(chat_key, window[0] + 60.0 - now)
            window.append(now)
        elif chat_key is not None and limit.per_chat_per_second is not None:
            rate = limit.per_chat_per_second
            level, last = self._chat_buckets.get(chat_key, (0.0, now))
            level = max(0.0, level - (now - last) * rate)
            if level + 1 > max(limit.per_chat_burst, 1) + 1e-9:
                self._flood_violation(chat_key, (level + 1 - limit.per_chat_burst) / rate)
            self._chat_buckets[chat_key] = (level + 1, now)
        window_global.append(now)

    def _flood_violation(self, chat_key: int | None, wait: float) -> None:
        retry = max(1, math.ceil(wait))
        self.stats.flood_429 += 1
        self._announce_retry(chat_key, retry)
        raise ApiError(
            429, f"Too Many Requests: retry after {retry}", retry_after=retry, injected=True
        )

    # ------------------------------------------------------------------ param helpers
    def _find_chat(self, raw: Any) -> FakeChat | None:
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == name:
                    return chat
            return None
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        return self.chats.get(chat_id)

    def _target_chat(
        self, params: dict[str, Any], key: str = "chat_id", *, send: bool = True
    ) -> FakeChat:
        raw = params.get(key)
        if raw in (None, ""):
            raise bad_request(f"{key} is empty")
        chat = self._find_chat(raw)
        if chat is None:
            raise bad_request("chat not found")
        if send and chat.type == "private":
            if chat.blocked or chat.id in self._blocked:
                raise ApiError(403, BLOCKED, injected=True)
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _text(
        self,
        params: dict[str, Any],
        key: str,
        mode_key: str,
        entities_key: str,
        limit: int,
        *,
        required: bool,
    ) -> tuple[str | None, str | None, list[dict[str, Any]]]:
        raw = params.get(key)
        if raw is None or raw == "":
            if required:
                raise bad_request("message text is empty")
            return None, None, []
        raw = str(raw)
        entities = _json_param(params, entities_key)
        try:
            visible, parsed = parse_text(raw, params.get(mode_key), entities or None)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        except ValueError:
            raise bad_request("unsupported parse_mode") from None
        if not visible:
            if required:
                raise bad_request("message text is empty")
            return None, None, []
        if len(visible) > limit:
            raise bad_request("message is too long" if required else "message caption is too long")
        return visible, raw, parsed

    def _reply_markup(
        self, params: dict[str, Any], *, inline_only: bool = False
    ) -> dict[str, Any] | None:
        if "reply_markup" not in params or params["reply_markup"] in (None, ""):
            return None
        markup = _json_param(params, "reply_markup")
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            return _validate_inline_keyboard(markup)
        if inline_only:
            raise bad_request("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request(
                    'field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    text = button if isinstance(button, str) else (button or {}).get("text")
                    if not text:
                        raise bad_request("keyboard button text must be non-empty")
            return markup
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _reply_to(self, params: dict[str, Any], chat: FakeChat) -> dict[str, Any] | None:
        reply = _json_param(params, "reply_parameters") or {}
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        allow = bool(reply.get("allow_sending_without_reply")) if isinstance(reply, dict) else False
        if message_id is None and params.get("reply_to_message_id"):
            message_id = int(params["reply_to_message_id"])
            allow = _bool_param(params, "allow_sending_without_reply")
        if message_id is None:
            return None
        target = chat.find(int(message_id))
        raw = target.raw if target is not None else chat.incoming.get(int(message_id))
        if raw is None:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in raw.items() if k != "reply_to_message"}

    def _store_file(
        self, data: bytes, *, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        n = next(self._ids)
        unique = hashlib.sha1(data).hexdigest()[:16]
        ext = (file_name or "").rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"FAKE{kind[:3].upper()}{n:08d}{unique}",
            file_unique_id=f"U{unique}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{kind}/file_{n}.{ext}",
        )
        size = _image_size(data) if kind == "photos" else None
        if size:
            stored.width, stored.height = size
        self.files[stored.file_id] = stored
        return stored

    def _input_file(
        self, params: dict[str, Any], files: dict[str, bytes], key: str, *, kind: str
    ) -> StoredFile:
        value = params.get(key)
        filename: str | None = None
        data: bytes | None = None
        if key in files:
            data = files[key]
            filename = files.get(f"{key}#filename", b"").decode() or None
        elif isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://") :]
            if name not in files:
                raise bad_request(f"file {name!r} not found in the request")
            data = files[name]
            filename = files.get(f"{name}#filename", b"").decode() or None
        elif isinstance(value, str) and value:
            if value in self.files:
                return self.files[value]
            if value.startswith(("http://", "https://")):
                stored = StoredFile(
                    file_id=f"FAKEURL{next(self._ids):08d}",
                    file_unique_id=f"URL{next(self._ids)}",
                    data=None,
                    file_name=value.rsplit("/", 1)[-1],
                    width=1,
                    height=1,
                )
                self.files[stored.file_id] = stored
                return stored
            raise bad_request("wrong file identifier/HTTP URL specified")
        if data is None:
            raise bad_request(f"there is no {key} in the request")
        if not data:
            raise bad_request("file must be non-empty")
        if kind == "photos":
            if len(data) > MAX_PHOTO_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            if self.validate_images and _image_size(data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
        elif len(data) > MAX_FILE_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        return self._store_file(data, kind=kind, file_name=filename)

    def _photo_size(self, stored: StoredFile) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": stored.width or 1,
            "height": stored.height or 1,
        }
        if stored.data is not None:
            data["file_size"] = len(stored.data)
        return data

    def _document_dict(self, stored: StoredFile) -> dict[str, Any]:
        data: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if stored.file_name:
            data["file_name"] = stored.file_name
        if stored.mime_type:
            data["mime_type"] = stored.mime_type
        if stored.data is not None:
            data["file_size"] = len(stored.data)
        return data

    def _render(self, message: BotMessage, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        raw: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.to_dict(),
            "date": message.date,
        }
        if message.edit_date:
            raw["edit_date"] = message.edit_date
        if message.text is not None:
            raw["text"] = message.text
            if message.entities:
                raw["entities"] = message.entities
        if message.kind == "photo":
            stored = self.files.get(message.file_id or "")
            if stored is not None:
                raw["photo"] = [self._photo_size(stored)]
        if message.kind == "document":
            stored = self.files.get(message.file_id or "")
            if stored is not None:
                raw["document"] = self._document_dict(stored)
        if message.caption is not None:
            raw["caption"] = message.caption
            if message.caption_entities:
                raw["caption_entities"] = message.caption_entities
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            raw["reply_markup"] = message.reply_markup
        previous = message.raw
        for key in ("reply_to_message", "forward_origin"):
            if key in previous:
                raw[key] = previous[key]
        if extra:
            raw.update(extra)
        message.raw = raw
        return raw

    def _add_bot_message(
        self, chat: FakeChat, message: BotMessage, extra: dict[str, Any]
    ) -> dict[str, Any]:
        chat.messages.append(message)
        return self._render(message, extra)

    def _edit_target(self, params: dict[str, Any]) -> BotMessage | None:
        """The bot message to edit, or None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat = self._target_chat(params)
        try:
            message_id = int(params.get("message_id") or 0)
        except ValueError:
            raise bad_request("message identifier is not specified") from None
        message = chat.find(message_id)
        if message is None:
            raise bad_request("message to edit not found")
        return message

    def _finish_edit(self, message: BotMessage) -> dict[str, Any]:
        message.edited = True
        message.edit_count += 1
        message.edit_date = int(time.time())
        return self._render(message)

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if not scope:
            scope = {"type": "default"}
        return json.dumps(scope, sort_keys=True, ensure_ascii=False)

    # ------------------------------------------------------------------ methods: bot
    async def _m_getme(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logout(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.closed_sessions.append("logOut")
        return True

    async def _m_close(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.closed_sessions.append("close")
        return True

    async def _m_setwebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://") and not url.startswith("http://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if not url:
            self.webhook = None
            return True
        allowed = _json_param(params, "allowed_updates")
        if allowed is not None:
            self.allowed_updates = list(allowed)
        if _bool_param(params, "drop_pending_updates"):
            self._drop_pending()
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": int(params.get("max_connections") or 40),
            "ip_address": params.get("ip_address"),
            "allowed_updates": allowed,
        }
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = None
        if _bool_param(params, "drop_pending_updates"):
            self._drop_pending()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook.get("ip_address"):
                info["ip_address"] = self.webhook["ip_address"]
            if self.allowed_updates is not None:
                info["allowed_updates"] = self.allowed_updates
        return info

    def _drop_pending(self) -> None:
        self.dropped_updates.extend(self.updates)
        self.updates.clear()
        self._notify()

    async def _get_updates(self, params: dict[str, Any], request: web.Request) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = _json_param(params, "allowed_updates")
        if allowed is not None:
            self.allowed_updates = list(allowed)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # wakes (and terminates) a previous long poll
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def ready() -> bool:
            return self._closing or generation != self._poll_generation or bool(self._deliverable())

        await self._wait_until(ready, deadline)
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot "
                "instance is running",
            )
        if self._closing or request.transport is None or request.transport.is_closing():
            return []
        batch = self._deliverable()[:limit]
        now = loop.time()
        self._seq += 1
        for update in batch:
            self.delivered.setdefault(update["update_id"], now)
            self._delivered_seq.setdefault(update["update_id"], self._seq)
        self._notify()
        return batch

    def _deliverable(self) -> list[dict[str, Any]]:
        allowed = set(self.allowed_updates) if self.allowed_updates else DEFAULT_UPDATE_TYPES
        keep: list[dict[str, Any]] = []
        for update in self.updates:
            if _update_type(update) in allowed:
                keep.append(update)
            else:
                self.dropped_updates.append(update)
        if len(keep) != len(self.updates):
            self.updates = keep
            self._notify()
        return keep

    # ------------------------------------------------------------------ methods: commands etc.
    async def _m_setmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = _json_param(params, "commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(command.get("description", ""))
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (
            self._scope_key(_json_param(params, "scope")),
            str(params.get("language_code") or ""),
        )
        self.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _m_getmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (
            self._scope_key(_json_param(params, "scope")),
            str(params.get("language_code") or ""),
        )
        return self.commands.get(key, [])

    async def _m_deletemycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (
            self._scope_key(_json_param(params, "scope")),
            str(params.get("language_code") or ""),
        )
        self.commands.pop(key, None)
        return True

    async def _m_setchatmenubutton(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        button = _json_param(params, "menu_button") or {"type": "default"}
        if params.get("chat_id"):
            self._target_chat(params, send=False).menu_button = button
        else:
            self.default_menu_button = button
        return True

    async def _m_getchatmenubutton(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if params.get("chat_id"):
            return self._target_chat(params, send=False).menu_button or {"type": "default"}
        return self.default_menu_button or {"type": "default"}

    async def _bot_setting(self, name: str, params: dict[str, Any]) -> Any:
        self.bot_settings[(name, str(params.get("language_code") or ""))] = {
            k: _decode_param(k, v) for k, v in params.items()
        }
        return True

    async def _m_setmydescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if len(str(params.get("description") or "")) > 512:
            raise bad_request("description is too long")
        return await self._bot_setting("description", params)

    async def _m_setmyshortdescription(
        self, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        if len(str(params.get("short_description") or "")) > 120:
            raise bad_request("short description is too long")
        return await self._bot_setting("short_description", params)

    async def _m_setmyname(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if len(str(params.get("name") or "")) > 64:
            raise bad_request("name is too long")
        return await self._bot_setting("name", params)

    # ------------------------------------------------------------------ methods: chats
    async def _m_getchat(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        return {
            **chat.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _m_getchatmember(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        user_id = int(params.get("user_id") or 0)
        if user_id == self.bot_id:
            return {"status": "member", "user": self.bot_user}
        user = self.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        if chat.type == "private" and chat.id != user_id:
            raise bad_request("user not found")
        status = "administrator" if user_id in chat.administrators else "member"
        if status == "administrator":
            return {
                "status": status, "user": user, "can_be_edited": False, "is_anonymous": False,
                "can_manage_chat": True, "can_delete_messages": True,
                "can_manage_video_chats": True, "can_restrict_members": True,
                "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False,
            }  # fmt: skip
        return {"status": status, "user": user}

    async def _m_sendchataction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self._target_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # ------------------------------------------------------------------ methods: sending
    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params)
        visible, source, entities = self._text(
            params, "text", "parse_mode", "entities", MAX_TEXT, required=True
        )
        markup = self._reply_markup(params)
        reply = self._reply_to(params, chat)
        message = BotMessage(
            chat_id=chat.id,
            message_id=chat.take_message_id(),
            kind="text",
            date=int(time.time()),
            text=visible,
            html=source,
            entities=entities,
            reply_markup=markup,
            reply_to_message_id=reply["message_id"] if reply else None,
        )
        return self._add_bot_message(chat, message, {"reply_to_message": reply} if reply else {})

    async def _send_media(
        self, params: dict[str, Any], files: dict[str, bytes], key: str, kind: str
    ) -> Any:
        chat = self._target_chat(params)
        stored = self._input_file(
            params, files, key, kind="photos" if kind == "photo" else "documents"
        )
        caption, caption_src, caption_entities = self._text(
            params, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
        )
        markup = self._reply_markup(params)
        reply = self._reply_to(params, chat)
        message = BotMessage(
            chat_id=chat.id,
            message_id=chat.take_message_id(),
            kind=kind,
            date=int(time.time()),
            caption=caption,
            caption_html=caption_src,
            caption_entities=caption_entities,
            reply_markup=markup,
            file_id=stored.file_id,
            file_name=stored.file_name,
            reply_to_message_id=reply["message_id"] if reply else None,
        )
        if kind == "photo":
            message.photo = stored.data
        else:
            message.document = stored.data
        return self._add_bot_message(chat, message, {"reply_to_message": reply} if reply else {})

    async def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return await self._send_media(params, files, "photo", "photo")

    async def _m_senddocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return await self._send_media(params, files, "document", "document")

    def _source_message(self, params: dict[str, Any], what: str) -> tuple[FakeChat, BotMessage]:
        source_chat = self._target_chat(params, "from_chat_id", send=False)
        message_id = int(params.get("message_id") or 0)
        bot_message = source_chat.find(message_id)
        if bot_message is not None:
            return source_chat, bot_message
        raw = source_chat.incoming.get(message_id)
        if raw is None:
            raise bad_request(f"message to {what} not found")
        photo = raw.get("photo")
        document = raw.get("document")
        file_id = photo[-1]["file_id"] if photo else (document or {}).get("file_id")
        stored = self.files.get(file_id or "")
        message = BotMessage(
            chat_id=source_chat.id,
            message_id=message_id,
            kind="photo" if photo else "document" if document else "text",
            date=raw["date"],
            text=raw.get("text"),
            html=None,
            entities=list(raw.get("entities", [])),
            caption=raw.get("caption"),
            caption_entities=list(raw.get("caption_entities", [])),
            file_id=file_id,
            photo=stored.data if stored and photo else None,
            document=stored.data if stored and document else None,
            raw=raw,
        )
        return source_chat, message

    async def _m_copymessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params)
        _, source = self._source_message(params, "copy")
        message = source.snapshot()
        message.chat_id = chat.id
        message.message_id = chat.take_message_id()
        message.date = int(time.time())
        message.edited, message.edit_date, message.edit_count = False, None, 0
        message.raw = {}
        if "caption" in params and message.kind != "text":
            message.caption, message.caption_html, message.caption_entities = self._text(
                params, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
            )
        message.reply_markup = self._reply_markup(params)
        self._add_bot_message(chat, message, {})
        return {"message_id": message.message_id}

    async def _m_forwardmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params)
        _, source = self._source_message(params, "forward")
        sender = source.raw.get("from") or self.bot_user
        message = source.snapshot()
        message.chat_id = chat.id
        message.message_id = chat.take_message_id()
        message.date = int(time.time())
        message.edited, message.edit_date, message.edit_count = False, None, 0
        message.reply_markup = None
        message.raw = {}
        origin: dict[str, Any] = {"type": "user", "sender_user": sender, "date": source.date}
        return self._add_bot_message(chat, message, {"forward_origin": origin})

    # ------------------------------------------------------------------ methods: editing
    async def _m_editmessagetext(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._edit_target(params)
        visible, source, entities = self._text(
            params, "text", "parse_mode", "entities", MAX_TEXT, required=True
        )
        markup = self._reply_markup(params, inline_only=True)
        if message is None:
            return True
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        if (
            visible == message.text
            and entities == message.entities
            and markup == message.reply_markup
        ):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.text, message.html, message.entities = visible, source, entities
        message.reply_markup = markup
        return self._finish_edit(message)

    async def _m_editmessagecaption(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._edit_target(params)
        caption, source, entities = self._text(
            params, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
        )
        markup = self._reply_markup(params, inline_only=True)
        if message is None:
            return True
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        if (
            caption == message.caption
            and entities == message.caption_entities
            and markup == message.reply_markup
        ):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.caption, message.caption_html, message.caption_entities = caption, source, entities
        message.reply_markup = markup
        return self._finish_edit(message)

    async def _m_editmessagereplymarkup(
        self, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        message = self._edit_target(params)
        markup = self._reply_markup(params, inline_only=True)
        if message is None:
            return True
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.reply_markup = markup
        return self._finish_edit(message)

    async def _m_deletemessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        message_id = int(params.get("message_id") or 0)
        self._delete(chat, message_id)
        return True

    async def _m_deletemessages(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        ids = _json_param(params, "message_ids") or []
        if not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 identifiers")
        for message_id in ids:
            with contextlib.suppress(ApiError):
                self._delete(chat, int(message_id))
        return True

    def _delete(self, chat: FakeChat, message_id: int) -> None:
        message = chat.find(message_id)
        if message is not None:
            chat.messages.remove(message)
            message.deleted = True
            chat.deleted.append(message)
            return
        if message_id in chat.incoming:
            del chat.incoming[message_id]
            return
        raise bad_request("message to delete not found")

    # ------------------------------------------------------------------ methods: queries
    async def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        record = self.callbacks.get(str(params.get("callback_query_id")))
        if record is None or record.answered:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = True
        record.answer = {k: _decode_param(k, v) for k, v in params.items()}
        return True

    async def _m_answerinlinequery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        record = self.inline_queries.get(str(params.get("inline_query_id")))
        if record is None or record.answered:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        results = _json_param(params, "results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or not result.get("type"):
                raise bad_request("can't parse inline query result: type is missing")
            result_id = str(result.get("id", ""))
            if not 1 <= len(result_id.encode()) <= MAX_INLINE_RESULT_ID:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            if result["type"] == "article" and not result.get("title"):
                raise bad_request("RESULT_TITLE_EMPTY")
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._text(
                    content, "message_text", "parse_mode", "entities", MAX_TEXT, required=True
                )
            if result.get("reply_markup"):
                _validate_inline_keyboard(result["reply_markup"])
            if "caption" in result:
                self._text(
                    result, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
                )
        next_offset = str(params.get("next_offset") or "")
        if len(next_offset.encode()) > 64:
            raise bad_request("NEXT_OFFSET_INVALID")
        record.answered = True
        record.results = results
        record.answer = {k: _decode_param(k, v) for k, v in params.items() if k != "results"}
        return True

    async def _m_getfile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.data is not None:
            data["file_size"] = len(stored.data)
        return data


# ---------------------------------------------------------------------- module helpers
_JSON_PARAMS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "results", "commands", "scope",
        "allowed_updates", "menu_button", "reply_parameters", "link_preview_options", "media",
        "button", "message_ids", "rights", "reaction",
    }
)  # fmt: skip


def _decode_param(key: str, value: Any) -> Any:
    if key in _JSON_PARAMS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _json_param(params: dict[str, Any], key: str) -> Any:
    value = params.get(key)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {key} JSON object") from None
    return value


def _bool_param(params: dict[str, Any], key: str) -> bool:
    value = params.get(key)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def _validate_inline_keyboard(markup: dict[str, Any]) -> dict[str, Any] | None:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    total = 0
    clean_rows = []
    for row in rows:
        clean_row = []
        for button in row:
            total += 1
            if not isinstance(button, dict):
                raise bad_request(
                    "can't parse inline keyboard button: InlineKeyboardButton expected"
                )
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = [a for a in BUTTON_ACTIONS if button.get(a) not in (None, "")]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                    "keyboard"
                )
            if len(actions) > 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    f"must be used, got {', '.join(actions)}"
                )
            if "callback_data" in button and button["callback_data"] is not None:
                size = len(str(button["callback_data"]).encode("utf-8"))
                if not 1 <= size <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
            if button.get("url") and not _BUTTON_URL.match(str(button["url"])):
                raise bad_request("BUTTON_URL_INVALID")
            clean_row.append({k: v for k, v in button.items() if v is not None})
        if clean_row:
            clean_rows.append(clean_row)
    if total > MAX_KEYBOARD_BUTTONS:
        raise bad_request("reply markup is too long")
    if not clean_rows:
        return None
    return {"inline_keyboard": clean_rows}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _short(params: dict[str, Any]) -> str:
    text = json.dumps(params, ensure_ascii=False, default=str)
    return text if len(text) <= 300 else text[:300] + "…"
