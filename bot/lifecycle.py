"""What happens when the bot starts and stops, whatever the runner.

Shutdown order (polling: aiogram's ``emit_shutdown`` after SIGTERM/SIGINT; webhook: the webhook
runner after it stopped accepting updates):

1. drain: the updates in hand finish (up to :data:`DRAIN_SECONDS`), their state written;
2. the other shutdown hooks, in registration order (the reminders scheduler stops here), then
   aiogram's FSM storage close;
3. the runner closes the Bot session, then ``open_app`` closes the database, and the runner logs
   ``stopped cleanly``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from typing import Any

from aiogram import Bot, Dispatcher

from bot.broadcast import Broadcasts
from bot.commands import set_bot_commands
from bot.factory import AppContext, create_bot, create_dispatcher
from bot.middlewares.inflight import InFlightUpdates
from bot.outbound import outbound_of
from bot.reminders.scheduler import attach_reminders
from bot.retention import remask_kept_questions, run_retention
from bot.tickets import resume_pending_posts
from domain.snils import fingerprint_of_digest
from storage import upgrade_registry

log = logging.getLogger("bot.lifecycle")

DRAIN_SECONDS = 20.0
"""How long a shutdown waits for updates in hand (the service manager must wait longer)."""


def install_lifecycle(dp: Dispatcher, app: AppContext) -> InFlightUpdates:
    """Startup: command menus, the reminder scheduler. Shutdown: stop the reminder scheduler and
    let the updates in hand finish before the session closes."""
    inflight = InFlightUpdates()
    dp.update.outer_middleware(inflight)
    reminders = attach_reminders(dp, app)
    broadcasts: Broadcasts = dp["broadcasts"]

    async def scheduler_is_running() -> bool:
        return reminders.running

    app.health.register("scheduler", scheduler_is_running)
    # Polling handles each update in a task of its own, held in this set from its creation.
    polling_tasks: set[Any] | None = getattr(dp, "_handle_update_tasks", None)
    if polling_tasks is not None:
        inflight.watch(polling_tasks)

    background: set[asyncio.Task[None]] = set()

    async def on_startup(bot: Bot) -> None:
        await set_bot_commands(bot, app.i18n)
        reminders.start(bot)
        await remask_kept_questions(app)
        resumed = await resume_pending_posts(
            bot, app.repo, app.clock, app.i18n, app.settings.support_chat_id
        )
        if resumed:
            log.info("posted %d support message(s) a stop had left unposted", resumed)
        await broadcasts.resume(bot)
        for job, name in (
            (_upgrade_snils_registry(app), "snils-registry-upgrade"),
            (run_retention(app, dp.fsm.storage), "retention"),
        ):
            task = asyncio.create_task(job, name=name)
            background.add(task)
            task.add_done_callback(background.discard)

    async def on_shutdown(bot: Bot | None = None) -> None:
        for task in list(background):  # an upgrade cut short goes on at the next start
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await reminders.shutdown()
        await broadcasts.shutdown()
        left = await inflight.drain(DRAIN_SECONDS)
        if left:
            log.warning("%d update(s) still running at shutdown were cut off", left)
        else:
            log.info("no update in progress")
        outbound = outbound_of(bot) if bot is not None else None
        if outbound is not None:
            log.info("outbound: %s", outbound.stats.summary())

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
    # aiogram registered its FSM storage's close() when the Dispatcher was built: the drain must
    # run before it, or a handler still running would write its state into a closed storage.
    dp.shutdown.handlers.insert(0, dp.shutdown.handlers.pop())
    return inflight


async def _upgrade_snils_registry(app: AppContext) -> None:
    """Old fast SNILS digests → slow fingerprints (storage/certificates.py), in the background."""
    key = app.settings.snils_key
    if key is None:
        return
    try:
        done = await upgrade_registry(
            app.repo.certificates, functools.partial(fingerprint_of_digest, secret_key=key)
        )
    except Exception:  # the lookup still finds the old rows; next start tries again
        log.exception("upgrading the SNILS registry failed")
        return
    if done:
        log.info("SNILS registry: %d old digest(s) replaced by fingerprints", done)


def freeze_startup_heap() -> None:
    """Collect once, then move everything alive after start-up out of the garbage collector's
    reach (``gc.freeze``).

    aiogram's ~300 pydantic models, the FAQ index and the dictionaries are a heap of millions of
    long-lived objects; every full collection walked all of them: 0.3-0.5 s pauses of the event
    loop under load (the throughput benchmark's loop-lag p99). Frozen, they are never scanned;
    objects created later are collected as usual. Call once, just before taking updates.
    """
    gc.collect()
    gc.freeze()


def build_running_bot(app: AppContext, token: str | None = None) -> tuple[Bot, Dispatcher]:
    bot, dp, _ = build_bot_with_lifecycle(app, token)
    return bot, dp


def build_bot_with_lifecycle(
    app: AppContext, token: str | None = None
) -> tuple[Bot, Dispatcher, InFlightUpdates]:
    bot = create_bot(app.settings, token)
    dp = create_dispatcher(app)
    inflight = install_lifecycle(dp, app)
    return bot, dp, inflight
