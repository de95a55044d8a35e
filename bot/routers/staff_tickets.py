"""Staff answering and closing support requests: a reply to a request's post in the support chat,
/reply N text, /close N (or as a reply), the close button. The work is
:class:`bot.staff_desk.StaffDesk`'s (injected as ``desk``); the roles are checked where the
handlers are registered (bot/routers/staff.py)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import TicketAction
from bot.i18n import Translator
from bot.staff_desk import StaffDesk


def ticket_number(raw: str | None) -> int | None:
    if not raw:
        return None
    raw = raw.strip().lstrip("#№")
    return int(raw) if raw.isdigit() else None


async def staff_answer(message: Message, bot: Bot, i18n: Translator, desk: StaffDesk) -> None:
    """A reply in the support chat: to a ticket post → to the citizen; anything else: ignored."""
    assert message.reply_to_message is not None
    ticket = await desk.repo.tickets.ticket_by_support_message(message.reply_to_message.message_id)
    if message.from_user is None:
        return
    if ticket is None:
        # a post of a request that no longer exists (its author deleted their data): say that
        # nothing was sent, rather than staying silent
        if _is_ticket_post(message.reply_to_message) and await desk.is_staff(message.from_user.id):
            await message.answer(i18n("staff-ticket-gone"))
        return
    if not await desk.is_staff(message.from_user.id):
        await message.answer(i18n("staff-not-allowed"))
        return
    await desk.answer(bot, message, ticket, i18n)


def _is_ticket_post(post: Message) -> bool:
    """A request's post in the support chat carries its close button."""
    markup = post.reply_markup
    return markup is not None and any(
        (button.callback_data or "").startswith(TicketAction.__prefix__ + ":")
        for row in markup.inline_keyboard
        for button in row
    )


async def reply_command(
    message: Message, command: CommandObject, bot: Bot, i18n: Translator, desk: StaffDesk
) -> None:
    number, _, text = (command.args or "").strip().partition(" ")
    ticket_id = ticket_number(number)
    if ticket_id is None:
        await message.answer(i18n("staff-reply-usage"))
        return
    if not text.strip():
        await message.answer(i18n("staff-reply-empty"))
        return
    ticket = await desk.repo.tickets.get(ticket_id)
    if ticket is None:
        await message.answer(i18n("staff-ticket-not-found", ticket=str(ticket_id)))
        return
    await desk.answer(bot, message, ticket, i18n, text=text.strip())


async def close_command(
    message: Message, command: CommandObject, bot: Bot, i18n: Translator, desk: StaffDesk
) -> None:
    ticket_id = ticket_number(command.args)
    # a reply names a ticket only in the support chat, where the ticket's posts are: the same
    # message id in a private chat is another message
    if (
        ticket_id is None
        and message.reply_to_message is not None
        and message.chat.id == desk.settings.support_chat_id
    ):
        post_id = message.reply_to_message.message_id
        ticket = await desk.repo.tickets.ticket_by_support_message(post_id)
        ticket_id = ticket.id if ticket else None
    if ticket_id is None:
        await message.answer(i18n("staff-close-usage"))
        return
    closer = message.from_user.full_name if message.from_user else "?"
    await message.answer(await desk.close(bot, ticket_id, closer, message.chat.id, i18n))


async def close_button(
    query: CallbackQuery,
    callback_data: TicketAction,
    bot: Bot,
    i18n: Translator,
    desk: StaffDesk,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer()
        return
    closer = query.from_user.full_name
    text = await desk.close(bot, callback_data.ticket, closer, query.message.chat.id, i18n)
    await query.message.answer(text)
    await query.answer()
