"""The citizen's side of "ask a human": /support, the menu button, the question, replies.

Design: a citizen's message goes to a ticket only inside an explicit step — right after /support
(state ``question``) or after pressing "Reply"/"Add a message" under a staff answer or the ticket
status (state ``reply``). Free text outside those steps stays with the FAQ. The work is
:class:`bot.support_desk.SupportDesk`'s (injected as ``support``); these handlers read the update.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import FaqAskStaff, MenuAction, TicketAction
from bot.faq.intents import MenuSection
from bot.filters.menu_word import MenuWord
from bot.i18n import Translator
from bot.keyboards.menu import home_only
from bot.support_desk import SupportDesk, SupportForm

__all__ = ["SupportForm", "create_router"]

CONTENT = (F.text & ~F.text.startswith("/")) | F.photo | F.document


async def support_command(
    message: Message, state: FSMContext, i18n: Translator, support: SupportDesk
) -> None:
    if message.from_user is not None:
        await support.open(message, message.from_user.id, state, i18n)


async def support_button(
    query: CallbackQuery, state: FSMContext, i18n: Translator, support: SupportDesk
) -> None:
    if isinstance(query.message, Message):
        await support.open(query.message, query.from_user.id, state, i18n)
    await query.answer()


async def question(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    language: str,
    support: SupportDesk,
) -> None:
    assert message.from_user is not None
    await state.clear()
    await support.submit(bot, message, message.from_user.id, message, i18n, language)


async def ask_staff_with_question(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    language: str,
    support: SupportDesk,
) -> None:
    """ "Ask a staff member" under a typed question's reply: that question goes to the request
    (the open one, or a new one) as it was typed."""
    await query.answer()
    if isinstance(query.message, Message):
        await support.ask_with_kept_question(
            bot, query.message, query.from_user.id, state, i18n, language
        )


async def wrong_content(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("support-wrong-content"))


async def reply_button(
    query: CallbackQuery,
    callback_data: TicketAction,
    state: FSMContext,
    i18n: Translator,
    support: SupportDesk,
) -> None:
    """ "Reply" / "Add a message": the citizen's next message goes to the ticket. The callback is
    answered last, so the state is set before the citizen can go on."""
    if not isinstance(query.message, Message):
        await query.answer()
        return
    ticket = await support.open_ticket_of(callback_data.ticket, query.from_user.id)
    if ticket is None:
        await query.message.answer(
            i18n("support-ticket-not-open", ticket=str(callback_data.ticket)),
            reply_markup=home_only(i18n),
        )
    elif not await support.takes_more(ticket):
        await query.message.answer(i18n("support-message-cap", ticket=str(ticket.id)))
    else:
        await state.set_state(SupportForm.reply)
        await state.update_data(ticket=ticket.id)
        await query.message.answer(i18n("support-reply-prompt", ticket=str(ticket.id)))
    await query.answer()


async def citizen_reply(
    message: Message, state: FSMContext, bot: Bot, i18n: Translator, support: SupportDesk
) -> None:
    data = await state.get_data()
    await state.clear()
    user_id = message.from_user.id if message.from_user else 0
    ticket = await support.open_ticket_of(int(data.get("ticket", 0)), user_id)
    if ticket is None:
        await message.answer(i18n("support-ticket-not-open", ticket=str(data.get("ticket", "?"))))
        return
    await support.add(bot, message, ticket, i18n)


def create_router() -> Router:
    router = Router(name="support")
    router.message.register(support_command, Command("support"))
    router.message.register(support_command, MenuWord(MenuSection.SUPPORT), StateFilter(None))
    router.callback_query.register(support_button, MenuAction.filter(F.action == "support"))
    router.callback_query.register(ask_staff_with_question, FaqAskStaff.filter())
    router.message.register(question, StateFilter(SupportForm.question), CONTENT)
    router.callback_query.register(reply_button, TicketAction.filter(F.action == "reply"))
    router.message.register(citizen_reply, StateFilter(SupportForm.reply), CONTENT)
    router.message.register(
        wrong_content, StateFilter(SupportForm.question, SupportForm.reply), ~F.text.startswith("/")
    )
    return router
