"""The reference for the throughput benchmark: a bare aiogram bot that echoes every message and
answers every callback query with a message. Same aiogram, same fake Bot API, nothing else.

Environment: ``BOT_TOKEN``, ``TELEGRAM_API_URL``.
"""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message


async def echo(message: Message) -> None:
    await message.answer(message.text or "…")


async def pressed(query: CallbackQuery) -> None:
    await query.answer()
    if query.message is not None:
        await query.message.answer(query.data or "…")


async def run() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(token=os.environ["BOT_TOKEN"], session=session)
    dp = Dispatcher()
    dp.message.register(echo)
    dp.callback_query.register(pressed)
    await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())


def main() -> int:
    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    return 0
