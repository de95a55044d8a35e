"""Knows which updates are being handled, so a shutdown can let them finish instead of cutting
them."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.middlewares.context import Handler

log = logging.getLogger(__name__)


class InFlightUpdates(BaseMiddleware):
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        task = asyncio.current_task()
        if task is None:
            return await handler(event, data)
        self._tasks.add(task)
        try:
            return await handler(event, data)
        finally:
            self._tasks.discard(task)

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float) -> int:  # noqa: ASYNC109 - bounds a wait
        """Wait for the updates in hand; returns how many were still running at the deadline."""
        current = asyncio.current_task()
        pending = {task for task in self._tasks if task is not current}
        if not pending:
            return 0
        log.info("waiting for %d update(s) in progress", len(pending))
        _, still_running = await asyncio.wait(pending, timeout=timeout)
        return len(still_running)
