"""One reminder scan: claim the due rows, send them paced, mark each one.

Exactly once as far as the network allows: ``claim_due`` commits ``pending -> sending`` before
the message goes out and ``mark_sent`` right after it. A crash (kill -9) between the two leaves
the row ``sending``; ``claim_due`` takes it again once the claim is older than ``stale_after``, so
such a message is repeated at most once. A normal stop (:meth:`ReminderSender.request_stop`)
finishes the message in hand and hands the rest of the batch back (``pending``, due now), so a
restart repeats nothing.

Catch-up after downtime: before claiming, ``skip_superseded`` closes every due reminder of a
certificate that has a more urgent (smaller offset) reminder due too: one message per certificate.

Sends are paced, prioritised (after replies to people, before broadcasts) and retried on a 429 by
the bot's one outbound path, :mod:`bot.outbound`. Errors: ``TelegramForbiddenError`` ->
``blocked`` + the user marked blocked; server/network errors and timeouts -> back to ``pending``
with exponential back-off, ``failed`` after ``max_attempts`` claims; ``TelegramBadRequest`` ->
``failed`` at once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError

from bot.clock import Clock
from bot.i18n import I18n
from bot.outbound import Priority, RequestTracker, sending_as, tracking
from bot.reminders.texts import reminder_message
from storage import Reminder, Repositories
from storage.reminders import DEFAULT_STALE_AFTER

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 50
DEFAULT_MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
RELEASED = "released at shutdown"


@dataclass
class ScanReport:
    """What one :meth:`ReminderSender.scan` did (counts of reminders)."""

    superseded: int = 0
    claimed: int = 0
    sent: int = 0
    blocked: int = 0
    retry_later: int = 0
    failed: int = 0
    cancelled: int = 0
    released: int = 0


class ReminderSender:
    def __init__(
        self,
        bot: Bot,
        repo: Repositories,
        i18n: I18n,
        clock: Clock,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
        retry_base: timedelta = RETRY_BASE,
        retry_cap: timedelta = RETRY_CAP,
    ) -> None:
        self.bot = bot
        self.repo = repo
        self.i18n = i18n
        self.clock = clock
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.stale_after = stale_after
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self._lock = asyncio.Lock()
        self._stopping = False

    def request_stop(self) -> None:
        """Finish the message in hand, give the rest of the batch back, start no new batch."""
        self._stopping = True

    @property
    def stopping(self) -> bool:
        return self._stopping

    async def scan(self) -> ScanReport:
        """Send everything due now, batch by batch. Scans of one sender never overlap."""
        report = ScanReport()
        reminders = self.repo.reminders
        async with self._lock:
            report.superseded = await reminders.skip_superseded(
                self.clock.now(), stale_after=self.stale_after
            )
            while not self._stopping:
                now = self.clock.now()
                batch = await reminders.claim_due(
                    now,
                    self.batch_size,
                    stale_after=self.stale_after,
                    max_attempts=self.max_attempts,
                )
                report.claimed += len(batch)
                for index, reminder in enumerate(batch):
                    if self._stopping:
                        await self._release(batch[index:], report)
                        break
                    await self._deliver(reminder, report)
                if len(batch) < self.batch_size:
                    break
        if report.claimed or report.superseded:
            log.info("reminder scan: %s", report)
        return report

    async def _release(self, rest: list[Reminder], report: ScanReport) -> None:
        now = self.clock.now()
        for reminder in rest:
            if await self.repo.reminders.mark_failed(reminder.id, RELEASED, retry_at=now):
                report.released += 1

    async def _deliver(self, reminder: Reminder, report: ScanReport) -> None:
        repo = self.repo
        user = await repo.users.get(reminder.user_id)
        certificate = await repo.certificates.get(reminder.certificate_id)
        if user is None or certificate is None:  # deleted meanwhile (cascade) - nothing to do
            await repo.reminders.mark_failed(reminder.id, "user or certificate is gone")
            report.failed += 1
            return
        if user.is_blocked:
            await repo.reminders.mark_blocked(reminder.id, "the user has blocked the bot")
            report.blocked += 1
            return
        if not user.reminders_enabled:  # turned off after the claim: hand back, then cancel
            now = self.clock.now()
            await repo.reminders.mark_failed(reminder.id, "reminders off", retry_at=now)
            await repo.reminders.cancel_for_user(user.id)
            report.cancelled += 1
            return

        t = self.i18n.get(await repo.users.language_of(user.id))
        text, keyboard = reminder_message(t, certificate.expires_on, self.clock.today())
        request = RequestTracker()
        try:
            with sending_as(Priority.REMINDER), tracking(request):
                await self.bot.send_message(user.id, text, reply_markup=keyboard)
        except asyncio.CancelledError:
            if not request.started:  # cancelled while waiting for a slot: nothing was sent
                await repo.reminders.mark_failed(reminder.id, RELEASED, retry_at=self.clock.now())
            # else: unknown whether it arrived; the stale claim is retried once, later
            raise
        except TelegramForbiddenError as error:
            now = self.clock.now()
            await repo.reminders.mark_blocked(reminder.id, error.message)
            await repo.users.set_blocked(user.id, True, now)
            report.blocked += 1
            return
        except TelegramBadRequest as error:
            log.error("reminder %s to %s refused: %s", reminder.id, user.id, error.message)
            await repo.reminders.mark_failed(reminder.id, f"bad request: {error.message}")
            report.failed += 1
            return
        except (TelegramAPIError, TimeoutError) as error:  # server/network errors, timeouts
            await self._retry_later(reminder, f"{type(error).__name__}: {error}", report)
            return
        except Exception as error:  # a bug must not leave the row stuck in 'sending'
            log.exception("reminder %s: unexpected error", reminder.id)
            await self._retry_later(reminder, f"{type(error).__name__}: {error}", report)
            return
        await repo.reminders.mark_sent(reminder.id, self.clock.now())
        report.sent += 1

    async def _retry_later(self, reminder: Reminder, error: str, report: ScanReport) -> None:
        if reminder.attempts >= self.max_attempts:
            log.warning(
                "reminder %s: giving up after %d attempts: %s",
                reminder.id,
                reminder.attempts,
                error,
            )
            await self.repo.reminders.mark_failed(reminder.id, error[:500])
            report.failed += 1
            return
        delay = min(self.retry_cap, self.retry_base * 2 ** max(0, reminder.attempts - 1))
        await self.repo.reminders.mark_failed(
            reminder.id, error[:500], retry_at=self.clock.now() + delay
        )
        report.retry_later += 1
