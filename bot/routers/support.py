"""The citizen's side of "ask a human": /support, the menu button, the question, replies.

Design: a citizen's message goes to a ticket only inside an explicit step — right after /support
(state ``question``) or after pressing "Reply"/"Add a message" under a staff answer or the ticket
status (state ``reply``). Free text outside those steps stays with the FAQ.
"""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks import FaqAskStaff, MenuAction, TicketAction
from bot.clock import Clock
from bot.config import Settings
from bot.faq.intents import MenuSection
from bot.filters.menu_word import MenuWord
from bot.i18n import I18n, Translator
from bot.kept_questions import KeptQuestions
from bot.keyboards.menu import home_only
from bot.tickets import (
    MAX_CITIZEN_MESSAGES_PER_TICKET,
    MAX_TICKETS_PER_HOUR,
    CitizenText,
    SupportUnavailable,
    citizen_message_count,
    hides_snils,
    post_pending,
    queue_citizen_message,
    reply_keyboard,
)
from storage import PendingPost, Repositories

CONTENT = (F.text & ~F.text.startswith("/")) | F.photo | F.document


class SupportForm(StatesGroup):
    question = State()
    reply = State()


async def _support_entry(
    message: Message,
    user_id: int,
    state: FSMContext,
    i18n: Translator,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    await state.clear()
    if settings.support_chat_id is None:
        text = (
            i18n("support-unavailable-contacts", contacts=settings.lab_contacts)
            if settings.lab_contacts
            else i18n("support-unavailable")
        )
        await message.answer(text, reply_markup=home_only(i18n))
        return
    ticket = await repo.tickets.open_for_user(user_id)
    if ticket is not None:
        since = ticket.created_at.astimezone(clock.zone).strftime("%d.%m.%Y %H:%M")
        status = i18n(
            "support-status-answered" if ticket.first_answer_at else "support-status-waiting"
        )
        await message.answer(
            i18n("support-open-status", ticket=str(ticket.id), since=since, status=status),
            reply_markup=reply_keyboard(ticket, i18n, "button-support-add"),
        )
        return
    recent = await repo.tickets.count_recent_for_user(user_id, clock.now() - timedelta(hours=1))
    if recent >= MAX_TICKETS_PER_HOUR:
        await message.answer(
            i18n("support-too-many-tickets", limit=MAX_TICKETS_PER_HOUR),
            reply_markup=home_only(i18n),
        )
        return
    await state.set_state(SupportForm.question)
    await message.answer(i18n("support-ask"))


async def support_command(
    message: Message,
    state: FSMContext,
    i18n: Translator,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    if message.from_user is not None:
        await _support_entry(message, message.from_user.id, state, i18n, repo, clock, settings)


async def support_button(
    query: CallbackQuery,
    state: FSMContext,
    i18n: Translator,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    if isinstance(query.message, Message):
        await _support_entry(query.message, query.from_user.id, state, i18n, repo, clock, settings)
    await query.answer()


async def _post(
    pending: PendingPost,
    bot: Bot,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> bool:
    """A queued message to the support chat (paced); False (and not kept) if it can't be
    posted."""
    try:
        await post_pending(bot, settings.support_chat_id, repo, clock, i18n_hub.get(None), pending)
    except SupportUnavailable:
        await repo.tickets.drop_pending(pending)
        return False
    return True


def _with_snils_note(text: str, content: Message | CitizenText, i18n: Translator) -> str:
    """The confirmation, and a line saying the SNILS was hidden from staff when it was."""
    return f"{text}\n{i18n('support-snils-hidden')}" if hides_snils(content) else text


async def question(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    language: str,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    assert message.from_user is not None
    await state.clear()
    await _submit(
        message,
        message.from_user.id,
        message,
        bot,
        i18n,
        i18n_hub,
        language,
        repo,
        clock,
        settings,
    )


async def _submit(
    chat: Message,
    user_id: int,
    content: Message | CitizenText,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    language: str,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    """``content`` into the citizen's open request, or a new one; the outcome said in ``chat``."""
    now = clock.now()
    await repo.users.touch(user_id, now)
    existing = await repo.tickets.open_for_user(user_id)
    if existing is None:
        recent = await repo.tickets.count_recent_for_user(user_id, now - timedelta(hours=1))
        if recent >= MAX_TICKETS_PER_HOUR:
            await chat.answer(i18n("support-too-many-tickets", limit=MAX_TICKETS_PER_HOUR))
            return
    elif await citizen_message_count(repo, existing) >= MAX_CITIZEN_MESSAGES_PER_TICKET:
        await chat.answer(i18n("support-message-cap", ticket=str(existing.id)))
        return
    ticket, pending = await queue_citizen_message(repo, clock, user_id, language, existing, content)
    if not await _post(pending, bot, i18n_hub, repo, clock, settings):
        if existing is None:
            await repo.tickets.close(ticket.id, clock.now())
        await chat.answer(i18n("support-send-failed"), reply_markup=home_only(i18n))
        return
    key = "support-sent" if existing is None else "support-added"
    await chat.answer(
        _with_snils_note(i18n(key, ticket=str(ticket.id)), content, i18n),
        reply_markup=home_only(i18n),
    )


async def ask_staff_with_question(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    language: str,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
    kept_questions: KeptQuestions,
) -> None:
    """ "Ask a staff member" under a typed question's reply: that question goes to the request
    (the open one, or a new one) as it was typed. Without a kept question (an old button, a
    restart, or no support chat) this is the ordinary "ask a staff member"."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    kept = kept_questions.take(query.from_user.id)
    if settings.support_chat_id is None or kept is None or not kept.text:
        await _support_entry(query.message, query.from_user.id, state, i18n, repo, clock, settings)
        return
    content = CitizenText(kept.text, kept.message_id)
    await _submit(
        query.message,
        query.from_user.id,
        content,
        bot,
        i18n,
        i18n_hub,
        language,
        repo,
        clock,
        settings,
    )


async def wrong_content(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("support-wrong-content"))


async def reply_button(
    query: CallbackQuery,
    callback_data: TicketAction,
    state: FSMContext,
    i18n: Translator,
    repo: Repositories,
) -> None:
    """ "Reply" / "Add a message": the citizen's next message goes to the ticket. The callback is
    answered last, so the state is set before the citizen can go on."""
    ticket = await repo.tickets.get(callback_data.ticket)
    if not isinstance(query.message, Message):
        await query.answer()
        return
    if ticket is None or ticket.user_id != query.from_user.id or not ticket.is_open:
        await query.message.answer(
            i18n("support-ticket-not-open", ticket=str(callback_data.ticket)),
            reply_markup=home_only(i18n),
        )
    elif await citizen_message_count(repo, ticket) >= MAX_CITIZEN_MESSAGES_PER_TICKET:
        await query.message.answer(i18n("support-message-cap", ticket=str(ticket.id)))
    else:
        await state.set_state(SupportForm.reply)
        await state.update_data(ticket=ticket.id)
        await query.message.answer(i18n("support-reply-prompt", ticket=str(ticket.id)))
    await query.answer()


async def citizen_reply(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    data = await state.get_data()
    await state.clear()
    ticket = await repo.tickets.get(int(data.get("ticket", 0)))
    user_id = message.from_user.id if message.from_user else 0
    if ticket is None or ticket.user_id != user_id or not ticket.is_open:
        number = str(data.get("ticket", "?"))
        await message.answer(i18n("support-ticket-not-open", ticket=number))
        return
    if await citizen_message_count(repo, ticket) >= MAX_CITIZEN_MESSAGES_PER_TICKET:
        await message.answer(i18n("support-message-cap", ticket=str(ticket.id)))
        return
    _, pending = await queue_citizen_message(repo, clock, user_id, ticket.language, ticket, message)
    if not await _post(pending, bot, i18n_hub, repo, clock, settings):
        await message.answer(i18n("support-send-failed"))
        return
    added = i18n("support-added", ticket=str(ticket.id))
    await message.answer(_with_snils_note(added, message, i18n), reply_markup=home_only(i18n))


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
