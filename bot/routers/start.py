"""/start, /help, the main menu, /language and /cancel."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import LanguageChoice, MenuAction
from bot.clock import Clock
from bot.faq.intents import MenuSection
from bot.filters.menu_word import MenuWord
from bot.i18n import I18n, Translator
from bot.keyboards.menu import language_picker, main_menu
from storage import Repositories


async def start(
    message: Message, state: FSMContext, i18n: Translator, repo: Repositories, clock: Clock
) -> None:
    await state.clear()
    user = message.from_user
    if user is not None:
        await repo.users.touch(user.id, clock.now())
    name = user.first_name if user else ""
    await message.answer(i18n("start-greeting", name=name), reply_markup=main_menu(i18n))


async def show_help(message: Message, state: FSMContext, i18n: Translator) -> None:
    await state.clear()
    await message.answer(i18n("help"), reply_markup=main_menu(i18n))


async def show_menu(message: Message, state: FSMContext, i18n: Translator) -> None:
    await state.clear()
    await message.answer(i18n("menu-title"), reply_markup=main_menu(i18n))


async def menu_home(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await state.clear()
    await query.answer()
    if query.message is not None:
        await query.message.answer(i18n("menu-title"), reply_markup=main_menu(i18n))


async def choose_language(message: Message, i18n: Translator, i18n_hub: I18n) -> None:
    await message.answer(i18n("language-choose"), reply_markup=language_picker(i18n_hub))


async def choose_language_from_menu(query: CallbackQuery, i18n: Translator, i18n_hub: I18n) -> None:
    await query.answer()
    if query.message is not None:
        await query.message.answer(i18n("language-choose"), reply_markup=language_picker(i18n_hub))


async def set_language(
    query: CallbackQuery,
    callback_data: LanguageChoice,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
) -> None:
    if callback_data.code not in i18n_hub.languages:
        await query.answer()
        return
    await repo.users.touch(query.from_user.id, clock.now())
    await repo.users.set_language(query.from_user.id, callback_data.code)
    t = i18n_hub.get(callback_data.code)
    await query.answer()
    if query.message is not None:
        await query.message.answer(t("language-set"), reply_markup=main_menu(t))


async def cancel(message: Message, state: FSMContext, i18n: Translator) -> None:
    had_state = await state.get_state() is not None
    await state.clear()
    text = i18n("cancelled") if had_state else i18n("nothing-to-cancel")
    await message.answer(text, reply_markup=main_menu(i18n))


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(show_help, Command("help"))
    router.message.register(show_menu, Command("menu"))
    router.message.register(show_menu, MenuWord(MenuSection.MENU), StateFilter(None))
    router.callback_query.register(menu_home, MenuAction.filter(F.action == "home"))
    router.message.register(choose_language, Command("language"))
    router.message.register(choose_language, MenuWord(MenuSection.LANGUAGE), StateFilter(None))
    router.callback_query.register(
        choose_language_from_menu, MenuAction.filter(F.action == "language")
    )
    router.callback_query.register(set_language, LanguageChoice.filter())
    router.message.register(cancel, Command("cancel"), StateFilter("*"))
    return router
