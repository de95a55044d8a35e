"""``/CHECK`` is ``/check``: Telegram clients send commands as people type them, and every
command filter compares exactly. The command word (not its arguments) is lower-cased before any
router sees the message."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

_COMMAND = re.compile(r"^/[^\s@]+")


class LowerCaseCommands(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message) and event.text and event.text.startswith("/"):
            word = _COMMAND.match(event.text)
            if word is not None and word.group(0) != word.group(0).lower():
                text = word.group(0).lower() + event.text[word.end() :]
                event = event.model_copy(update={"text": text})
        return await handler(event, data)
