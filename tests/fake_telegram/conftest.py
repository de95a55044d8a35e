"""A real aiogram Bot + Dispatcher polling the fake Bot API."""

from __future__ import annotations

import asyncio
import html
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command, CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
)

from fake_telegram import FakeTelegramServer


def tiny_png(width: int = 2, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def main_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text="FAQ", callback_data="faq")],
            [InlineKeyboardButton(text="Сайт лаборатории", url="https://example.org")],
        ]
    )


@dataclass
class BotUnderTest:
    bot: Bot
    dp: Dispatcher
    errors: list[BaseException] = field(default_factory=list)


def build_router(errors: list[BaseException]) -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        name = html.escape(message.from_user.first_name if message.from_user else "")
        await message.answer(f"Здравствуйте, <b>{name}</b>!", reply_markup=main_menu())

    @router.message(Command("long"))
    async def too_long(message: Message) -> None:
        await message.answer("x" * 4097)

    @router.message(Command("badhtml"))
    async def bad_html(message: Message) -> None:
        await message.answer("<b>unclosed")

    @router.message(Command("bigdata"))
    async def big_data(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="big", callback_data="d" * 65)]]
        )
        await message.answer("keyboard", reply_markup=keyboard)

    @router.message(Command("photo"))
    async def photo(message: Message) -> None:
        await message.answer_photo(
            BufferedInputFile(tiny_png(), filename="qr.png"), caption="<i>QR</i>"
        )

    @router.message(Command("two"))
    async def two(message: Message) -> None:
        await message.answer("one")
        await asyncio.sleep(0.01)
        await message.answer("two")

    @router.message(Command("silent"))
    async def silent(message: Message) -> None:
        return None

    @router.message(F.photo)
    async def got_photo(message: Message, bot: Bot) -> None:
        assert message.photo
        file = await bot.get_file(message.photo[-1].file_id)
        assert file.file_path
        data = await bot.download_file(file.file_path)
        assert data is not None
        await message.answer(f"got {len(data.read())} bytes, caption={message.caption}")

    @router.message(F.chat.type == "supergroup", F.reply_to_message)
    async def staff_reply(message: Message, bot: Bot) -> None:
        # a support answer goes to the user mentioned in the replied message
        assert message.reply_to_message and message.reply_to_message.text
        user_id = int(message.reply_to_message.text.rsplit("#", 1)[1])
        await bot.send_message(user_id, f"Ответ поддержки: {html.escape(message.text or '')}")

    @router.message(Command("ask"))
    async def ask(message: Message, bot: Bot, support_chat: int) -> None:
        assert message.from_user
        await bot.send_message(support_chat, f"Вопрос от #{message.from_user.id}")
        await message.answer("Вопрос отправлен")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(html.escape(message.text or ""))

    @router.callback_query(F.data == "faq")
    async def faq(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        back = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="« Назад", callback_data="back")]]
        )
        await query.message.edit_text("<b>FAQ</b>: антитела IgG", reply_markup=back)
        await query.answer("FAQ открыт")

    @router.callback_query(F.data == "back")
    async def back(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("Главное меню", reply_markup=main_menu())
        await query.answer()

    @router.inline_query()
    async def inline(query: InlineQuery) -> None:
        results = [
            InlineQueryResultArticle(
                id=f"r{i}",
                title=f"{query.query} #{i}",
                input_message_content=InputTextMessageContent(
                    message_text=f"<b>{html.escape(query.query)}</b> {i}"
                ),
            )
            for i in range(3)
        ]
        await query.answer(results, cache_time=1)

    @router.errors()
    async def on_error(event: ErrorEvent) -> bool:
        errors.append(event.exception)
        return True

    return router


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(bot_username="antibody_test_bot") as srv:
        yield srv


@pytest.fixture
async def bot(server: FakeTelegramServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    bot = Bot(token="123:abc", session=session, default=DefaultBotProperties(parse_mode="HTML"))
    yield bot
    await session.close()


@pytest.fixture
async def running(server: FakeTelegramServer, bot: Bot) -> AsyncIterator[BotUnderTest]:
    errors: list[BaseException] = []
    support = server.group(title="Поддержка")
    dp = Dispatcher(support_chat=support.id)
    dp.include_router(build_router(errors))
    server.attach(dp)
    task = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=5)
    )
    await server.wait_polling()
    yield BotUnderTest(bot=bot, dp=dp, errors=errors)
    await dp.stop_polling()
    await asyncio.wait_for(task, 5)
