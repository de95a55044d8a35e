"""Knows which updates are being handled, so a shutdown lets them finish instead of cutting them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Set
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.middlewares.context import Handler

log = logging.getLogger(__name__)


class InFlightUpdates(BaseMiddleware):
    """Outer middleware recording the task of every update being handled.

    An update's task reaches this middleware only after the middlewares registered before it, so
    :meth:`watch` also takes the runners' own sets of update tasks (aiogram's polling tasks, the
    webhook's background tasks), which hold a task from its creation: the drain waits for those too.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._watched: list[Set[asyncio.Task[Any]]] = []

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        task = asyncio.current_task()
        if task is None:
            return await handler(event, data)
        self._tasks.add(task)
        try:
            return await handler(event, data)
        finally:
            self._tasks.discard(task)

    def watch(self, tasks: Set[asyncio.Task[Any]]) -> None:
        """Also wait for the (live, updated by its owner) set of tasks ``tasks`` when draining."""
        self._watched.append(tasks)

    def pending(self) -> set[asyncio.Task[Any]]:
        current = asyncio.current_task()
        tasks = set(self._tasks).union(*self._watched)
        return {task for task in tasks if task is not current and not task.done()}

    def __len__(self) -> int:
        return len(self.pending())

    async def drain(self, seconds: float) -> int:
        """Wait for the updates in hand; returns how many were still running at the deadline.

        Updates that start while draining (already accepted by a runner) are waited for too.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        await asyncio.sleep(0)  # let tasks created just now enter the middleware chain
        announced = False
        while pending := self.pending():
            if not announced:
                log.info("waiting for %d update(s) in progress", len(pending))
                announced = True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return len(pending)
            await asyncio.wait(pending, timeout=remaining)
        return 0
