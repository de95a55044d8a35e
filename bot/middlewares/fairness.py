"""Inbound fairness: one person's updates one at a time, and nobody using up the bot alone.

aiogram handles every update in a task of its own, so two taps of one button run side by side
and each can apply its change. :class:`OnePersonAtATime` queues a person's updates behind each
other, in the order they came (asyncio's locks are first come, first served), so a double tap is
handled twice *in turn*: the second sees what the first did. Other people are never held.

:class:`FloodGuard` slows a person who writes much faster than anybody types: past a burst of
``burst`` messages (refilled one every ``refill_seconds``), they get one friendly "slow down"
and what they send while over the limit is dropped, so one person cannot spend the bot's sending
budget that everybody shares (bot/outbound.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiolimiter import AsyncLimiter

from bot.buckets import KEPT, KeyedBuckets
from bot.i18n import I18n
from bot.locks import KeyedLocks
from bot.middlewares.context import Handler
from storage import Repositories

log = logging.getLogger(__name__)

BURST = 10
"""Messages and taps a person may send at once..."""
REFILL_SECONDS = 1.5
"""... then one every this many seconds (nobody types faster for long)."""
WARN_AGAIN_AFTER = 60.0


class OnePersonAtATime(BaseMiddleware):
    """Outer middleware on updates: a person's updates are handled one after another."""

    def __init__(self) -> None:
        self._locks = KeyedLocks()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        async with self._locks(user.id):
            return await handler(event, data)


class FloodGuard(BaseMiddleware):
    """Outer middleware on updates: drops the messages and taps of a person over the limit, in a
    private chat (admins are never slowed)."""

    def __init__(
        self,
        i18n: I18n,
        repo: Repositories,
        *,
        exempt: frozenset[int] = frozenset(),
        burst: int = BURST,
        refill_seconds: float = REFILL_SECONDS,
    ) -> None:
        self.i18n = i18n
        self.repo = repo
        self.exempt = exempt
        self._bucket = KeyedBuckets(lambda _: AsyncLimiter(burst, burst * refill_seconds))
        self._warned: dict[int, float] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or user.id in self.exempt or not _private(event):
            return await handler(event, data)
        bucket = self._bucket(user.id)
        if bucket.has_capacity():
            await bucket.acquire()  # returns at once: there is capacity
            return await handler(event, data)
        await self._slow_down(event, user)
        return None

    async def _slow_down(self, event: TelegramObject, user: User) -> None:
        update = event.event if isinstance(event, Update) else event
        now = asyncio.get_running_loop().time()
        if now - self._warned.get(user.id, -WARN_AGAIN_AFTER) < WARN_AGAIN_AFTER:
            if isinstance(update, CallbackQuery):
                await update.answer()  # the button stops spinning (answers are not paced)
            return
        if len(self._warned) >= KEPT:
            self._warned = {k: v for k, v in self._warned.items() if now - v < WARN_AGAIN_AFTER}
        self._warned[user.id] = now
        log.info("user %s writes too fast: slowed down", user.id)
        language = self.i18n.pick(await self.repo.users.language_of(user.id), user.language_code)
        text = self.i18n.get(language)("flood-slow-down")
        if isinstance(update, Message):
            await update.answer(text)
        elif isinstance(update, CallbackQuery):
            await update.answer(text, show_alert=True)


def _private(event: TelegramObject) -> bool:
    update = event.event if isinstance(event, Update) else event
    if isinstance(update, Message):
        return update.chat.type == ChatType.PRIVATE
    if isinstance(update, CallbackQuery):
        message = update.message
        return message is not None and message.chat.type == ChatType.PRIVATE
    return False
