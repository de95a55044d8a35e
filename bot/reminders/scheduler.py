"""Runs the reminder scan with APScheduler: once at start-up, then every REMINDER_SCAN_SECONDS.

The job holds no state of its own; the database is the source of truth, so a missed run (the
bot was down) is simply caught up by the next one. Wired into the dispatcher by
:func:`attach_reminders` (called from :func:`bot.lifecycle.install_lifecycle`): started in the
startup hook, stopped in the shutdown hook (before the bot session closes), and reachable as
``dp["reminder_scheduler"]``; :func:`scheduler_running` is for health checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.factory import AppContext
from bot.reminders.sender import ReminderSender, ScanReport

log = logging.getLogger(__name__)

JOB_ID = "reminders-scan"
SCHEDULER_KEY = "reminder_scheduler"
STOP_TIMEOUT = 10.0


class ReminderScheduler:
    """Owns the APScheduler instance and the :class:`ReminderSender` of one running bot."""

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.interval = app.settings.reminder_scan_seconds
        self.sender: ReminderSender | None = None
        self.runs = 0
        """Completed scans (successful or not)."""
        self.last_report: ScanReport | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._current: asyncio.Task[object] | None = None

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def start(self, bot: Bot) -> None:
        """Start the job (first scan right away). Needs the running event loop."""
        if self.running:
            return
        self.sender = ReminderSender(bot, self.app.repo, self.app.i18n, self.app.clock)
        scheduler = AsyncIOScheduler(timezone=UTC, event_loop=asyncio.get_running_loop())
        scheduler.add_job(
            self.run_scan,
            IntervalTrigger(seconds=self.interval, timezone=UTC),
            id=JOB_ID,
            next_run_time=datetime.now(UTC),  # the start-up run
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        scheduler.start()
        self._scheduler = scheduler
        log.info("reminder scheduler started (every %ss)", self.interval)

    async def run_scan(self) -> ScanReport | None:
        """The job: one scan; errors are logged, never raised into the scheduler."""
        sender = self.sender
        if sender is None or sender.stopping:
            return None
        self._current = asyncio.current_task()
        try:
            self.last_report = await sender.scan()
            return self.last_report
        except Exception:
            log.exception("reminder scan failed")
            return None
        finally:
            self._current = None
            self.runs += 1

    async def shutdown(self, timeout: float = STOP_TIMEOUT) -> None:  # noqa: ASYNC109
        """Stop the job; let a running scan finish its message and hand back the rest."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        if self.sender is not None:
            self.sender.request_stop()
        task = self._current
        if task is not None and not task.done():
            done, _ = await asyncio.wait({task}, timeout=timeout)
            if not done:
                log.warning("reminder scan still running after %.0fs: cancelling it", timeout)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        log.info("reminder scheduler stopped")


def attach_reminders(dp: Dispatcher, app: AppContext) -> ReminderScheduler:
    """Create the scheduler and store it as ``dp["reminder_scheduler"]``. The caller
    starts/stops it in the lifecycle hooks."""
    scheduler = ReminderScheduler(app)
    dp[SCHEDULER_KEY] = scheduler
    return scheduler


def scheduler_running(dp: Dispatcher) -> bool:
    """Health check: is this dispatcher's reminder scheduler up?"""
    scheduler = dp.workflow_data.get(SCHEDULER_KEY)
    return isinstance(scheduler, ReminderScheduler) and scheduler.running
