"""Queuing updates for the bot, in-process tracking and fault injection."""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from ._params import _ParamHelpers
from .constants import (
    _Fault,
    _FloodLimit,
)
from .html import utf16_len
from .models import (
    BotMessage,
    CallbackRecord,
    FakeChat,
    InlineQueryRecord,
)


class _UpdateFeed(_ParamHelpers):
    """Updates the simulated users send, and faults the tests inject."""

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
