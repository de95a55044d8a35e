"""/broadcast (admins): preview, confirm, progress, stop. The sending is :mod:`bot.broadcast`'s."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.broadcast import Broadcasts
from bot.callbacks import BroadcastAction, BroadcastStep
from bot.filters.roles import IsAdmin
from bot.i18n import Translator
from bot.keyboards.staff import broadcast_preview_keyboard
from bot.text_limits import MAX_TEXT, visible_len
from storage import Repositories


async def broadcast_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    i18n: Translator,
    repo: Repositories,
) -> None:
    """Preview with Confirm/Cancel; the text waits in the admin's FSM data until confirmed."""
    parts = message.html_text.split(maxsplit=1)
    if not command.args or len(parts) < 2 or not parts[1].strip():
        await message.answer(i18n("broadcast-usage"))
        return
    body = parts[1]
    await state.update_data(broadcast=body, broadcast_id=message.message_id)
    count = await repo.users.count(active_only=True)
    buttons = broadcast_preview_keyboard(message.message_id, i18n)
    preview = i18n("broadcast-preview", count=count) + "\n\n" + body
    if visible_len(preview) <= MAX_TEXT:
        await message.answer(preview, reply_markup=buttons)
    else:
        await message.answer(body)
        await message.answer(i18n("broadcast-confirm", count=count), reply_markup=buttons)


async def broadcast_cancel(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await state.update_data(broadcast=None, broadcast_id=None)
    await query.answer(i18n("broadcast-cancelled"))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


async def broadcast_confirm(
    query: CallbackQuery,
    callback_data: BroadcastAction,
    state: FSMContext,
    bot: Bot,
    broadcasts: Broadcasts,
    i18n: Translator,
) -> None:
    if broadcasts.busy:
        await query.answer(i18n("broadcast-busy"), show_alert=True)
        return
    data = await state.get_data()
    body = data.get("broadcast")
    if not body or data.get("broadcast_id") != callback_data.source:
        await query.answer(i18n("broadcast-expired"), show_alert=True)
        return
    await state.update_data(broadcast=None, broadcast_id=None)
    if not isinstance(query.message, Message):
        await query.answer()
        return
    chat_id = query.message.chat.id
    if await broadcasts.start(bot, body, chat_id, i18n.language) is None:
        await query.answer(i18n("broadcast-busy"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)


async def broadcast_stop(
    query: CallbackQuery,
    callback_data: BroadcastAction,
    broadcasts: Broadcasts,
    i18n: Translator,
) -> None:
    stopped = await broadcasts.cancel(callback_data.source)
    await query.answer(i18n("broadcast-stopping" if stopped else "broadcast-not-running"))


def create_router() -> Router:
    router = Router(name="broadcast")
    router.message.register(broadcast_command, Command("broadcast"), IsAdmin())
    router.callback_query.register(
        broadcast_confirm, BroadcastAction.filter(F.action == BroadcastStep.CONFIRM), IsAdmin()
    )
    router.callback_query.register(
        broadcast_cancel, BroadcastAction.filter(F.action == BroadcastStep.CANCEL), IsAdmin()
    )
    router.callback_query.register(
        broadcast_stop, BroadcastAction.filter(F.action == BroadcastStep.STOP), IsAdmin()
    )
    return router
