"""Frequent questions: /faq and the menu's list, answers, questions typed in one's own words, and
inline mode (`@bot антитела igm` in any chat) for the reception staff.

Language: a typed question is matched against the book of its script (the user's language when
the script is undecided, e.g. "qr igg"), but the answer is shown in the user's language, like
every other text of the conversation (ids are the same in every book). Inline results are in the
language of the query's script, else the user's: they are sent into someone else's chat.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MaybeInaccessibleMessage,
    Message,
)

from bot.callbacks import FaqList, FaqShow, MenuAction
from bot.clock import Clock
from bot.config import Settings
from bot.faq.content import FaqEntry
from bot.faq.intents import MenuSection
from bot.faq.library import FaqLibrary, ReplyKind, plain_text
from bot.filters.menu_word import MenuWord
from bot.i18n import Markup, Translator
from bot.kept_questions import KeptQuestions
from bot.keyboards import faq as kb
from bot.keyboards.menu import main_menu
from domain.personal_data import redact_personal_data
from storage import Repositories

log = logging.getLogger(__name__)

MAX_RECORDED_CHARS = 500  # an unanswered question is stored trimmed to this
MAX_ECHO_CHARS = 200  # the question quoted back in the "not found" reply
MAX_DESCRIPTION_CHARS = 120  # inline result description
INLINE_CACHE_SECONDS = 30


# ---------------------------------------------------------------------- texts


def list_text(i18n: Translator, page: int, total: int) -> str:
    text = i18n("faq-list-title")
    pages = kb.page_count(total)
    if pages > 1:
        text += "\n\n" + i18n("faq-list-page", page=page + 1, pages=pages)
    return text


def answer_text(i18n: Translator, entry: FaqEntry) -> str:
    return i18n("faq-answer", title=entry.title, answer=Markup(entry.answer))


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def _show(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup, *, edit: bool
) -> None:
    """Replace the pressed message (``edit``) or send a new one; a message too old to be edited
    (or gone) gets a new one instead. The callback is answered last: the button's spinner stops
    once the content is there (and a test waiting for that answer sees the content too)."""
    message = query.message
    if message is not None:
        await _edit_or_send(message, text, markup, edit=edit)
    await query.answer()


async def _edit_or_send(
    message: MaybeInaccessibleMessage, text: str, markup: InlineKeyboardMarkup, *, edit: bool
) -> None:
    if edit and isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as error:
            if "message is not modified" in str(error):
                return
            log.info("could not edit the FAQ message, sending a new one: %s", error)
    if isinstance(message, Message):
        await message.answer(text, reply_markup=markup)
    elif isinstance(message, InaccessibleMessage) and message.bot is not None:  # too old to see
        await message.bot.send_message(message.chat.id, text, reply_markup=markup)


# ---------------------------------------------------------------------- the list and answers


async def faq_command(
    message: Message, state: FSMContext, i18n: Translator, language: str, faq: FaqLibrary
) -> None:
    # A command leaves the conversation in progress: the next typed text is a question again.
    await state.clear()
    entries = faq.book(language).entries
    await message.answer(
        list_text(i18n, 0, len(entries)), reply_markup=kb.questions_page(i18n, faq, entries, 0)
    )


async def faq_from_menu(
    query: CallbackQuery, i18n: Translator, language: str, faq: FaqLibrary
) -> None:
    entries = faq.book(language).entries
    await _show(
        query,
        list_text(i18n, 0, len(entries)),
        kb.questions_page(i18n, faq, entries, 0),
        edit=False,
    )


async def faq_page(
    query: CallbackQuery,
    callback_data: FaqList,
    i18n: Translator,
    language: str,
    faq: FaqLibrary,
) -> None:
    entries = faq.book(language).entries
    page = kb.clamp_page(callback_data.page, len(entries))
    await _show(
        query,
        list_text(i18n, page, len(entries)),
        kb.questions_page(i18n, faq, entries, page),
        edit=callback_data.edit,
    )


async def faq_answer(
    query: CallbackQuery,
    callback_data: FaqShow,
    i18n: Translator,
    language: str,
    faq: FaqLibrary,
) -> None:
    entry_id = faq.id_of(callback_data.key)
    entry = faq.entry(entry_id, language) if entry_id else None
    if entry is None:  # the FAQ changed since the button was sent
        await query.answer(i18n("button-expired"))
        return
    page = kb.page_of(faq.position(entry.id))
    await _show(query, answer_text(i18n, entry), kb.answer_from_list(i18n, page), edit=True)


# ---------------------------------------------------------------------- free text


async def free_text(
    message: Message,
    state: FSMContext,
    i18n: Translator,
    language: str,
    faq: FaqLibrary,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
    kept_questions: KeptQuestions,
) -> None:
    text = message.text or ""
    understood = faq.understand(text, language)
    if understood.kind is ReplyKind.SMALL_TALK:
        await message.answer(
            i18n(f"faq-small-talk-{understood.small_talk}"), reply_markup=main_menu(i18n)
        )
        return
    user = message.from_user
    if user is not None:  # "ask a staff member" beneath the reply sends it without retyping
        kept_questions.keep(user.id, text, message.message_id)
    ticket = await repo.tickets.open_for_user(user.id) if user is not None else None
    ticket_id = ticket.id if ticket is not None else None
    entries = [e for i in understood.offered if (e := faq.entry(i, language)) is not None]
    entry = faq.entry(understood.entry_id, language) if understood.entry_id else None
    if understood.kind is ReplyKind.ANSWER and entry is not None:
        await message.answer(
            answer_text(i18n, entry),
            reply_markup=kb.answer_to_free_text(i18n, faq, entries, ticket_id),
        )
    elif understood.kind is ReplyKind.SUGGEST and entries:
        await message.answer(
            i18n("faq-suggest"), reply_markup=kb.suggestions(i18n, faq, entries, ticket_id)
        )
    elif understood.kind is ReplyKind.LAB_INFO:
        contacts = settings.lab_contacts
        reply = i18n("faq-lab-info", contacts=contacts) if contacts else i18n("faq-lab-info-ask")
        await message.answer(reply, reply_markup=kb.lab_info(i18n, ticket_id))
    else:
        await _record_unanswered(text, understood.language, faq, repo, clock)
        await message.answer(
            i18n("faq-not-found", question=_shorten(text, MAX_ECHO_CHARS)),
            reply_markup=kb.not_found(i18n, ticket_id),
        )


async def _record_unanswered(
    text: str, language: str, faq: FaqLibrary, repo: Repositories, clock: Clock
) -> None:
    """Kept for staff to see what to teach the FAQ: without the SNILS, phone or e-mail in it."""
    kept = redact_personal_data(text.strip())
    normalized = faq.normalized(kept, language)
    if normalized:
        await repo.questions.record(language, kept[:MAX_RECORDED_CHARS], normalized, clock.now())


# ---------------------------------------------------------------------- inline mode


def inline_result(entry: FaqEntry) -> InlineQueryResultArticle:
    lines = [line.strip() for line in plain_text(entry.answer).splitlines()]
    first_line = next((line for line in lines if line), entry.title)
    return InlineQueryResultArticle(
        id=entry.id,  # ids are [a-z0-9_]{2,64}: within Telegram's 64 bytes, unique in a book
        title=entry.title,
        description=_shorten(first_line, MAX_DESCRIPTION_CHARS),
        input_message_content=InputTextMessageContent(
            message_text=entry.answer, parse_mode=ParseMode.HTML
        ),
    )


async def inline_search(inline_query: InlineQuery, language: str, faq: FaqLibrary) -> None:
    _, entries = faq.search(inline_query.query, language)
    await inline_query.answer(
        [inline_result(entry) for entry in entries],
        cache_time=INLINE_CACHE_SECONDS,
        is_personal=False,
    )


# ---------------------------------------------------------------------- routers


def create_router() -> Router:
    """Private chats. Free text is taken only outside a conversation and never a command."""
    router = Router(name="faq")
    router.message.register(faq_command, Command("faq"))
    router.callback_query.register(faq_from_menu, MenuAction.filter(F.action == "faq"))
    router.callback_query.register(faq_page, FaqList.filter())
    router.callback_query.register(faq_answer, FaqShow.filter())
    # Only outside a conversation: a feature's FSM step gets its own text.
    router.message.register(faq_command, MenuWord(MenuSection.FAQ), StateFilter(None))
    # Menu words ("меню", "проверить") are left to the routers of their sections.
    router.message.register(
        free_text, StateFilter(None), F.text, ~F.text.startswith("/"), ~MenuWord()
    )
    return router


def create_inline_router() -> Router:
    """Inline queries come from any chat: include at the dispatcher level."""
    router = Router(name="faq-inline")
    router.inline_query.register(inline_search)
    return router
