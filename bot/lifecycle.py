"""What happens when the bot starts and stops, whatever the runner."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher

from bot.commands import set_bot_commands
from bot.factory import AppContext, create_bot, create_dispatcher
from bot.middlewares.inflight import InFlightUpdates

log = logging.getLogger("bot.lifecycle")

DRAIN_SECONDS = 20.0


def install_lifecycle(dp: Dispatcher, app: AppContext) -> InFlightUpdates:
    """Startup: command menus. Shutdown: let the updates in hand finish before the session
    closes."""
    inflight = InFlightUpdates()
    dp.update.outer_middleware(inflight)

    async def on_startup(bot: Bot) -> None:
        await set_bot_commands(bot, app.i18n)

    async def on_shutdown() -> None:
        left = await inflight.drain(DRAIN_SECONDS)
        if left:
            log.warning("%d update(s) still running at shutdown were cut off", left)
        log.info("stopped cleanly")

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
    return inflight


def build_running_bot(app: AppContext, token: str | None = None) -> tuple[Bot, Dispatcher]:
    bot = create_bot(app.settings, token)
    dp = create_dispatcher(app)
    install_lifecycle(dp, app)
    return bot, dp
