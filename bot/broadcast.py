"""/broadcast as a stored job that survives a restart (storage/broadcasts.py, migration 0008).

The text and every recipient are written before the first send; each delivery goes
``pending -> sending -> sent | blocked | failed``. ``sending`` is written at the moment the request
leaves (:class:`bot.outbound.RequestTracker`), after the send slot was given, so a stop at any
other moment leaves the delivery ``pending`` and the next start sends it. A stop (even kill -9) in
the few milliseconds a request is on the wire leaves it ``sending``; the next start cannot know
whether it arrived and does not send it again (``unknown``, counted apart in the report): nobody
gets a second copy.

Sends go at :attr:`bot.outbound.Priority.BROADCAST`: after every reply to a person and every
reminder. One broadcast runs at a time; the admin's panel shows the progress, with a button that
stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup

from bot.clock import Clock
from bot.i18n import I18n
from bot.keyboards.staff import broadcast_stop_keyboard
from bot.outbound import Priority, RequestTracker, sending_as, tracking
from storage import BroadcastCounts, BroadcastJob, Repositories

log = logging.getLogger(__name__)
T = TypeVar("T")

CONCURRENCY = 8
"""Sends of one broadcast waiting for a slot at once (the outbound path paces them)."""
PROGRESS_EVERY = 2.0
"""Seconds between two updates of the admin's panel (at least)."""
PAGE = 200


class Broadcasts:
    """Starts, resumes, stops and finishes stored broadcast jobs; one runs at a time."""

    def __init__(self, repo: Repositories, i18n: I18n, clock: Clock) -> None:
        self.repo = repo
        self.i18n = i18n
        self.clock = clock
        self._task: asyncio.Task[None] | None = None
        self._job_id: int | None = None
        self._starting = False
        self._stop = asyncio.Event()

    @property
    def busy(self) -> bool:
        return self._starting or (self._task is not None and not self._task.done())

    async def start(self, bot: Bot, text: str, admin_chat_id: int, language: str) -> int | None:
        """Store the job and start sending; None (nothing stored) if one is running already."""
        if self.busy:
            return None
        self._starting = True  # before the first await: a double tap finds it busy
        try:
            if await self.repo.broadcasts.running():  # one left by a stop, not resumed yet
                return None
            job = await self.repo.broadcasts.create(text, admin_chat_id, language, self._now())
        finally:
            self._starting = False
        log.info("broadcast %s: %s recipients", job.id, job.total)
        self._launch(bot, job)
        return job.id

    async def resume(self, bot: Bot) -> int:
        """At a start: go on with a job a stop interrupted. Returns how many were resumed."""
        if self.busy:  # already sending (a second start-up): never two senders of one job
            return 0
        jobs = await self.repo.broadcasts.running()
        for job in jobs[1:]:  # cannot happen through start(); one at a time all the same
            await self.repo.broadcasts.finish(job.id, "cancelled", self._now())
        if not jobs:
            return 0
        job = jobs[0]
        unknown = await self.repo.broadcasts.settle_interrupted(job.id)
        log.info("broadcast %s resumed (%d deliveries of unknown outcome)", job.id, unknown)
        self._launch(bot, job)
        return 1

    async def cancel(self, job_id: int) -> bool:
        """Stop a running job for good (the admin's button). False if it was not running."""
        if not await self.repo.broadcasts.finish(job_id, "cancelled", self._now()):
            return False
        if self._job_id == job_id:
            self._stop.set()
        return True

    async def shutdown(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Let the sends on the wire finish, start no new one; the job resumes at the next start."""
        task = self._task
        if task is None or task.done():
            return
        self._stop.set()
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # ------------------------------------------------------------------ the job
    def _launch(self, bot: Bot, job: BroadcastJob) -> None:
        self._stop = asyncio.Event()
        self._job_id = job.id
        with sending_as(Priority.BROADCAST):  # the task inherits the priority
            self._task = asyncio.create_task(self._run(bot, job), name=f"broadcast-{job.id}")

    async def _run(self, bot: Bot, job: BroadcastJob) -> None:
        text = job.text or ""
        if job.panel_message_id is None:
            stop = broadcast_stop_keyboard(job.id, self.i18n.get(job.language))
            panel = await self._safe(
                bot.send_message(job.admin_chat_id, self._progress(job), reply_markup=stop)
            )
            if panel is not None:
                await self.repo.broadcasts.set_panel(job.id, panel.message_id)
                job = replace(job, panel_message_id=panel.message_id)
        free = asyncio.Semaphore(CONCURRENCY)
        in_flight: set[asyncio.Task[None]] = set()
        loop = asyncio.get_running_loop()
        shown = loop.time()
        after = -(2**63)
        while not self._stop.is_set():
            page = await self.repo.broadcasts.pending(job.id, after, PAGE)
            if not page:
                break
            for user_id in page:
                await free.acquire()
                if self._stop.is_set():
                    free.release()
                    break
                task = asyncio.create_task(self._deliver(bot, job.id, user_id, text, free))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                if loop.time() - shown >= PROGRESS_EVERY:
                    shown = loop.time()
                    await self._show(bot, job, await self.repo.broadcasts.counts(job.id))
            after = page[-1]
        if in_flight:
            await asyncio.gather(*in_flight, return_exceptions=True)
        counts = await self.repo.broadcasts.counts(job.id)
        current = await self.repo.broadcasts.get(job.id)
        if current is not None and current.status == "cancelled":
            await self._finish(bot, job, counts, "broadcast-stopped")
        elif counts.left == 0 and await self.repo.broadcasts.finish(job.id, "done", self._now()):
            await self._finish(bot, job, counts, "broadcast-done")
        # else: stopped by a shutdown; the next start goes on

    async def _deliver(
        self, bot: Bot, job_id: int, user_id: int, text: str, free: asyncio.Semaphore
    ) -> None:
        deliveries = self.repo.broadcasts

        async def on_the_wire() -> None:
            await deliveries.mark(job_id, user_id, "sending")

        async def refused() -> None:  # a 429: nothing went out, it waits for a slot again
            await deliveries.mark(job_id, user_id, "pending")

        request = RequestTracker(on_start=on_the_wire, on_refused=refused)
        try:
            with tracking(request):
                await bot.send_message(user_id, text)
        except TelegramForbiddenError:
            await deliveries.mark(job_id, user_id, "blocked")
            await self.repo.users.set_blocked(user_id, True, self._now())
        except TelegramAPIError as error:
            log.warning("broadcast %s to %s failed: %s", job_id, user_id, error.message)
            await deliveries.mark(job_id, user_id, "failed")
        except Exception as error:  # e.g. a proxy's HTML page: it may have arrived
            log.warning("broadcast %s to %s: %s", job_id, user_id, type(error).__name__)
            await deliveries.mark(job_id, user_id, "unknown" if request.started else "failed")
        else:
            await deliveries.mark(job_id, user_id, "sent")
        finally:
            free.release()

    # ------------------------------------------------------------------ the panel
    def _progress(self, job: BroadcastJob, counts: BroadcastCounts | None = None) -> str:
        counts = counts or BroadcastCounts()
        return self.i18n.get(job.language)("broadcast-progress", **_args(job, counts))

    async def _show(self, bot: Bot, job: BroadcastJob, counts: BroadcastCounts) -> None:
        if job.panel_message_id is None:
            return
        t = self.i18n.get(job.language)
        markup: InlineKeyboardMarkup = broadcast_stop_keyboard(job.id, t)
        await self._safe(
            bot.edit_message_text(
                self._progress(job, counts),
                chat_id=job.admin_chat_id,
                message_id=job.panel_message_id,
                reply_markup=markup,
            )
        )

    async def _finish(self, bot: Bot, job: BroadcastJob, counts: BroadcastCounts, key: str) -> None:
        log.info("broadcast %s ended (%s): %s", job.id, key, counts)
        t = self.i18n.get(job.language)
        if job.panel_message_id is not None:  # the panel without its stop button
            await self._safe(
                bot.edit_message_text(
                    self._progress(job, counts),
                    chat_id=job.admin_chat_id,
                    message_id=job.panel_message_id,
                )
            )
        await self._safe(bot.send_message(job.admin_chat_id, t(key, **_args(job, counts))))

    @staticmethod
    async def _safe(call: Awaitable[T]) -> T | None:
        try:
            return await call
        except TelegramBadRequest:  # e.g. "message is not modified"
            return None
        except Exception as error:  # the panel is a courtesy: never stops the job
            log.warning("broadcast panel not updated: %s", error)
            return None

    def _now(self) -> datetime:
        return self.clock.now()


def _args(job: BroadcastJob, counts: BroadcastCounts) -> dict[str, object]:
    return {
        "done": counts.done,
        "total": job.total,
        "sent": counts.sent,
        "blocked": counts.blocked,
        "failed": counts.failed + counts.unknown,
    }
