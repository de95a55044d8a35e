"""What no other router took: stickers, voice, stale buttons. Registered last."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.keyboards.menu import main_menu


async def unsupported(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("unsupported-message"), reply_markup=main_menu(i18n))


async def unknown_command(message: Message, i18n: Translator) -> None:
    """A command no router knows (a typo, an old one): say so, and where the list is. What the
    person was doing (a conversation's state) is kept."""
    command = (message.text or "").split(maxsplit=1)[0][:40]
    await message.answer(i18n("unknown-command", command=command), reply_markup=main_menu(i18n))


async def stale_button(query: CallbackQuery, i18n: Translator) -> None:
    await query.answer(i18n("button-expired"), show_alert=False)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(unsupported)
    router.callback_query.register(stale_button)
    return router
