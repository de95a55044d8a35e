"""Saving the certificate generated on Госуслуги, and /mycert.

Entry: the "save" button after /check and the Госуслуги guide (`MenuAction("cert_new")`), or /mycert
and the menu's "My certificate" when nothing is saved yet. Steps (each with back / cancel):
test date → holder's name → optional official link → optional SNILS → record + card.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import CertAction, MenuAction
from bot.certificate_view import send_card
from bot.clock import Clock
from bot.faq.intents import MenuSection
from bot.filters.menu_word import MenuWord
from bot.i18n import Translator
from bot.keyboards.certificate import card_keyboard, offer_keyboard, step_keyboard
from bot.keyboards.menu import main_menu
from bot.routers.certificate_steps import (
    DATE,
    LINK,
    NAME,
    TYPED,
    ask_date,
    ask_link,
    ask_name,
    in_flow,
    skip_link,
    skip_snils,
    suggested_date,
    typed_date,
    typed_link,
    typed_name,
    typed_snils,
)
from bot.states import CertificateFlow
from storage import Repositories

log = logging.getLogger(__name__)


# ----------------------------------------------------------------- /mycert and the menu button


async def my_certificate(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    repo: Repositories,
    clock: Clock,
) -> None:
    if await in_flow(state):
        await state.clear()
    await _show_latest(bot, message.chat.id, message.chat.id, i18n, repo, clock)


async def my_certificate_from_menu(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    repo: Repositories,
    clock: Clock,
) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        if await in_flow(state):
            await state.clear()
        await _show_latest(bot, query.from_user.id, query.from_user.id, i18n, repo, clock)
    finally:
        await query.answer()


async def _show_latest(
    bot: Bot, chat_id: int, user_id: int, t: Translator, repo: Repositories, clock: Clock
) -> None:
    certificate = await repo.certificates.latest_for_user(user_id)
    if certificate is None:
        await bot.send_message(chat_id, t("cert-none"), reply_markup=offer_keyboard(t))
        return
    await send_card(bot, chat_id, certificate, clock.today(), t, reply_markup=card_keyboard(t))


# ----------------------------------------------------------------------- entry, back, cancel


async def start_saving(query: CallbackQuery, state: FSMContext, bot: Bot, i18n: Translator) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        data = {
            key: value
            for key, value in (await state.get_data()).items()
            if key not in (DATE, NAME, LINK)
        }
        await state.set_data(data)
        await ask_date(bot, query.from_user.id, state, i18n)
    finally:
        await query.answer()


async def cancel(query: CallbackQuery, state: FSMContext, bot: Bot, i18n: Translator) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        # An old message's cancel must not end another conversation started since.
        if await in_flow(state):
            await state.clear()
        await bot.send_message(query.from_user.id, i18n("cancelled"), reply_markup=main_menu(i18n))
    finally:
        await query.answer()


async def back(query: CallbackQuery, state: FSMContext, bot: Bot, i18n: Translator) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        chat_id = query.from_user.id
        current = await state.get_state()
        if current == CertificateFlow.holder_name.state:
            await ask_date(bot, chat_id, state, i18n)
        elif current == CertificateFlow.official_link.state:
            await ask_name(bot, chat_id, state, i18n)
        elif current == CertificateFlow.snils.state:
            await ask_link(bot, chat_id, state, i18n)
        else:  # the first step has nowhere to go back to
            await state.clear()
            await bot.send_message(chat_id, i18n("cancelled"), reply_markup=main_menu(i18n))
    finally:
        await query.answer()


# -------------------------------------------------------------- anything but text in the flow


async def not_text(message: Message, state: FSMContext, i18n: Translator) -> None:
    current = await state.get_state()
    if current == CertificateFlow.snils.state:  # e.g. a photo of the SNILS card
        try:
            await message.delete()
        except TelegramAPIError:
            log.info("could not delete a non-text message at the SNILS step")
    keyboard: InlineKeyboardMarkup = step_keyboard(
        i18n,
        back=current != CertificateFlow.test_date.state,
        skip=current in (CertificateFlow.official_link.state, CertificateFlow.snils.state),
    )
    await message.answer(i18n("cert-text-only"), reply_markup=keyboard)


def create_router() -> Router:
    router = Router(name="certificate")
    message, callback = router.message, router.callback_query
    message.register(my_certificate, Command("mycert"))
    message.register(my_certificate, MenuWord(MenuSection.CERT), StateFilter(None))
    callback.register(my_certificate_from_menu, MenuAction.filter(F.action == "cert"))
    callback.register(start_saving, MenuAction.filter(F.action == "cert_new"))
    callback.register(cancel, CertAction.filter(F.action == "cancel"))
    callback.register(back, CertAction.filter(F.action == "back"), StateFilter(CertificateFlow))
    message.register(typed_date, CertificateFlow.test_date, TYPED)
    callback.register(
        suggested_date, CertificateFlow.test_date, CertAction.filter(F.action == "suggested")
    )
    message.register(typed_name, CertificateFlow.holder_name, TYPED)
    message.register(typed_link, CertificateFlow.official_link, TYPED)
    skip = CertAction.filter(F.action == "skip")
    callback.register(skip_link, CertificateFlow.official_link, skip)
    message.register(typed_snils, CertificateFlow.snils, TYPED)
    callback.register(skip_snils, CertificateFlow.snils, skip)
    message.register(not_text, StateFilter(CertificateFlow), ~F.text)
    return router
