"""/broadcast delivery: paced sending under Telegram's limits.

Sends take their slots from the bot's one shared :class:`bot.delivery.Pacer` (the reminders use
it too), so a broadcast and a reminder scan together stay under Telegram's global limit, and a
``retry_after`` announced to either pauses both.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, Awaitable, Callable
from dataclasses import dataclass

from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramRetryAfter

from bot.delivery import Pacer

log = logging.getLogger(__name__)

CONCURRENCY = 8
MAX_ATTEMPTS = 5
PROGRESS_EVERY = 2.0  # seconds between progress edits (at least)
PRIVATE_CHAT_GAP = 1.1  # Telegram: ~1 message/s per private chat
GROUP_CHAT_GAP = 3.1  # Telegram: ~20 messages/min per group


@dataclass
class DeliveryReport:
    total: int
    sent: int = 0
    blocked: int = 0
    failed: int = 0

    @property
    def done(self) -> int:
        return self.sent + self.blocked + self.failed


async def deliver_paced(
    chat_ids: AsyncIterable[int],
    send_one: Callable[[int], Awaitable[object]],
    *,
    total: int,
    on_blocked: Callable[[int], Awaitable[object]],
    on_progress: Callable[[DeliveryReport, bool], Awaitable[object]],
    progress_chat_id: int,
    pacer: Pacer,
    concurrency: int = CONCURRENCY,
) -> DeliveryReport:
    """Call ``send_one(chat_id)`` for every id, in the slots of ``pacer`` (at most
    ``concurrency`` in flight). A 429 pauses *every* send for its ``retry_after`` and the
    message is retried; a 403 (blocked, deactivated) is counted, reported to ``on_blocked`` and
    not retried; other API errors are counted as failed. ``on_progress(report, final)`` is
    called every ``PROGRESS_EVERY`` s and once at the end (final=True); it writes to
    ``progress_chat_id``, so sends to that chat keep Telegram's per-chat gap."""
    loop = asyncio.get_running_loop()
    gap = PRIVATE_CHAT_GAP if progress_chat_id > 0 else GROUP_CHAT_GAP
    every = max(PROGRESS_EVERY, gap)
    last_progress = loop.time()
    last_reported = -1
    report = DeliveryReport(total)
    free = asyncio.Semaphore(concurrency)

    async def take_slot(chat_id: int | None = None) -> None:
        await pacer.wait(chat_id)

    def pause(seconds: float) -> None:
        pacer.hold(seconds + 0.1)

    async def one(chat_id: int) -> None:
        try:
            for _ in range(MAX_ATTEMPTS):
                await take_slot(chat_id)
                try:
                    await send_one(chat_id)
                except TelegramRetryAfter as error:
                    pause(error.retry_after)
                    continue
                except TelegramForbiddenError:
                    report.blocked += 1
                    await on_blocked(chat_id)
                    return
                except TelegramAPIError as error:
                    log.warning("broadcast to %s failed: %s", chat_id, error)
                    report.failed += 1
                    return
                report.sent += 1
                return
            report.failed += 1
        finally:
            free.release()

    async def progress(final: bool) -> None:
        nonlocal last_progress, last_reported
        if not final and report.done == last_reported:
            return
        await take_slot(progress_chat_id)
        last_progress = loop.time()
        last_reported = report.done
        try:
            await on_progress(report, final)
        except TelegramRetryAfter as error:
            pause(error.retry_after)
        except TelegramAPIError as error:
            log.warning("broadcast progress not shown: %s", error)

    tasks: set[asyncio.Task[None]] = set()
    async for chat_id in chat_ids:
        await free.acquire()
        task = asyncio.create_task(one(chat_id))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        if loop.time() - last_progress >= every:
            await progress(False)
    while tasks:
        await asyncio.gather(*tasks)
    await progress(True)
    return report
