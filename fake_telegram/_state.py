"""First layer of the fake server: its state."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .constants import (
    _Fault,
    _FloodLimit,
)
from .models import (
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


class _ServerState:
    """Every attribute of the server, declared once for all the layers built on it."""

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
        # every _m_* method of the final class (the layers below add them), by lowercased name
        self._methods: dict[str, Callable[[dict[str, Any], dict[str, Any]], Awaitable[Any]]] = {
            name[len("_m_") :].replace("_", ""): getattr(self, name)
            for name in dir(self)
            if name.startswith("_m_")
        }

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

    # ------------------------------------------------------------------ waiting primitive
    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ shared helpers
    @staticmethod
    def _scope_key(scope: Any) -> str:
        if not scope:
            scope = {"type": "default"}
        return json.dumps(scope, sort_keys=True, ensure_ascii=False)
