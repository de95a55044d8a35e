"""Pacing of bot-initiated sends (reminders, broadcasts) under Telegram's rate limits.

Telegram allows about 30 messages per second per bot and about 1 per second per chat; going
over earns ``429 Too Many Requests`` with ``retry_after``, and sending anything more during that
window prolongs it. One :class:`Pacer` per bot, shared by everything that sends in bulk:

    pacer = Pacer(per_second=25)
    message = await send_paced(pacer, chat_id, lambda: bot.send_message(chat_id, text))

* :meth:`Pacer.wait` returns when a send may start: sends are spaced evenly (``1/per_second``
  apart, no bursts), at most ``per_chat_per_second`` go to one chat and, to a group (negative
  id), at most ``per_group_per_minute`` (the support group's posts).
* :meth:`Pacer.hold` stops every send through the pacer for ``seconds`` (a ``retry_after``).
* :func:`send_paced` = ``wait`` + the call; on :class:`TelegramRetryAfter` it holds the pacer for
  ``retry_after`` and retries the same call (nothing else goes out meanwhile, provided the
  callers send one at a time). Every other exception is the caller's to handle
  (``TelegramForbiddenError`` = blocked, ``TelegramServerError``/``TelegramNetworkError`` =
  transient, ...).

Replies to a user's own message are not paced: they are one per update. Posts to the support group
are (many citizens may write at once, and a group takes ~20 messages a minute).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramRetryAfter

__all__ = ["DEFAULT_PER_SECOND", "Pacer", "send_paced"]

log = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_PER_SECOND = 25.0
_CHAT_SLOTS_LIMIT = 10_000


class Pacer:
    """Evenly spaced send slots for one bot, plus a global pause after a ``retry_after``.

    ``clock`` (monotonic seconds) and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        per_second: float = DEFAULT_PER_SECOND,
        *,
        per_chat_per_second: float | None = 1.0,
        per_group_per_minute: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        if per_chat_per_second is not None and per_chat_per_second <= 0:
            raise ValueError("per_chat_per_second must be positive (or None for no limit)")
        self.per_second = per_second
        self._interval = 1.0 / per_second
        self._chat_interval = 1.0 / per_chat_per_second if per_chat_per_second else 0.0
        # groups (negative ids) allow far fewer: about 20 messages a minute
        self._group_interval = 60.0 / per_group_per_minute if per_group_per_minute else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next_slot = 0.0
        self._hold_until = 0.0
        self._chat_next: dict[int, float] = {}

    async def wait(self, chat_id: int | None = None) -> None:
        """Return when a message (to ``chat_id``) may be sent now; the slot is then taken."""
        while True:
            now = self._clock()
            start = max(now, self._next_slot, self._hold_until)
            if chat_id is not None:
                start = max(start, self._chat_next.get(chat_id, 0.0))
            if start <= now:
                self._next_slot = now + self._interval
                if chat_id is not None:
                    spacing = self._chat_interval
                    if chat_id < 0 and self._group_interval:
                        spacing = max(spacing, self._group_interval)
                    if spacing:
                        self._remember_chat(chat_id, now + spacing, now)
                return
            await self._sleep(start - now)

    def hold(self, seconds: float) -> None:
        """No slot is given out for ``seconds`` from now (extends, never shortens, a hold)."""
        self._hold_until = max(self._hold_until, self._clock() + max(0.0, seconds))

    @property
    def held_for(self) -> float:
        """Seconds left of the current hold (0 when none)."""
        return max(0.0, self._hold_until - self._clock())

    def _remember_chat(self, chat_id: int, until: float, now: float) -> None:
        if len(self._chat_next) >= _CHAT_SLOTS_LIMIT:
            self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}
        self._chat_next[chat_id] = until


async def send_paced(
    pacer: Pacer,
    chat_id: int | None,
    call: Callable[[], Awaitable[T]],
    *,
    max_retry_after: int = 5,
) -> T:
    """``await call()`` in a paced slot; on ``TelegramRetryAfter`` hold the pacer for
    ``retry_after`` seconds and retry the same call, up to ``max_retry_after`` times (then the
    last ``TelegramRetryAfter`` is raised). ``call`` must create a fresh request each time."""
    retries = 0
    while True:
        await pacer.wait(chat_id)
        try:
            return await call()
        except TelegramRetryAfter as error:
            pacer.hold(error.retry_after)
            retries += 1
            log.warning(
                "flood control: retry after %ss (chat %s, retry %d/%d)",
                error.retry_after,
                chat_id,
                retries,
                max_retry_after,
            )
            if retries > max_retry_after:
                raise
