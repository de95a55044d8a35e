"""Long polling: the way to run the bot on a laptop or a server without a public address."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError
from aiogram.types import User

from bot import __version__
from bot.config import Settings
from bot.factory import open_app
from bot.lifecycle import build_running_bot, freeze_startup_heap

log = logging.getLogger("bot.polling")

STARTUP_RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)


async def wait_for_telegram(bot: Bot, delays: tuple[float, ...] = STARTUP_RETRY_DELAYS) -> User:
    """getMe with back-off: aiogram gives up at once if Telegram is unreachable at start."""
    for attempt, delay in enumerate((*delays, None), start=1):
        try:
            return await bot.get_me()
        except TelegramUnauthorizedError:
            raise
        except (TelegramNetworkError, TelegramServerError, OSError) as error:
            if delay is None:
                raise
            log.warning(
                "Telegram not reachable (attempt %d: %s); retrying in %.0f s",
                attempt,
                type(error).__name__,
                delay,
            )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


def log_start(mode: str, me: User, settings: Settings, detail: str = "") -> None:
    """The start-up line of every runner: version, mode, database path; never the token."""
    database = str(settings.database_path)
    logging.getLogger(f"bot.{mode}").info(
        "antibody-bot %s starting: mode=%s bot=@%s database=%s%s",
        __version__,
        mode,
        me.username,
        database,
        f" {detail}" if detail else "",
        extra={"mode": mode, "version": __version__, "database": database},
    )


async def run_polling(settings: Settings) -> None:
    """Poll until SIGTERM/SIGINT (aiogram's signal handlers), then drain and close everything."""
    async with open_app(settings) as app:
        bot, dp = build_running_bot(app)
        try:
            me = await wait_for_telegram(bot)
            log_start("polling", me, settings)
            await bot.delete_webhook(drop_pending_updates=False)
            freeze_startup_heap()
            await start_polling(dp, bot)
        finally:
            await bot.session.close()  # start_polling closes it too; this covers a failed start
    log.info("stopped cleanly")


async def start_polling(dp: Dispatcher, bot: Bot, *, handle_signals: bool = True) -> None:
    await dp.start_polling(
        bot,
        handle_signals=handle_signals,
        allowed_updates=dp.resolve_used_update_types(),
    )
