"""A loopback fake of the Telegram Bot API (aiohttp), strict where Telegram is strict."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._methods_messages import _MessageMethods
from .constants import (
    MAX_FILE_BYTES,
    ApiError,
)
from .models import (
    BotMessage,
    CallbackRecord,
    FakeChat,
    RecordedRequest,
)

if TYPE_CHECKING:
    from .client import SimulatedUser


__all__ = ["ApiError", "FakeTelegramServer"]


class FakeTelegramServer(_MessageMethods):
    """Fake Bot API on 127.0.0.1; use as ``async with FakeTelegramServer() as server``.

    ``server.base_url`` works with ``TelegramAPIServer.from_base(...)`` and as TELEGRAM_API_URL.
    """

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
