"""/forget: delete everything the bot keeps about the user, after a confirmation.

Kept afterwards: only the keyed hash of a SNILS (in `snils_registry`, not linked to anyone), so the
"one antibody certificate per person" rule still holds.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ForgetChoice
from bot.certificate_view import card_cache
from bot.i18n import Translator
from bot.keyboards.certificate import forget_keyboard
from bot.keyboards.menu import main_menu
from storage import Repositories


async def ask(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("forget-confirm"), reply_markup=forget_keyboard(i18n))


async def _drop_buttons(query: CallbackQuery) -> None:
    if query.message is not None:
        try:
            await query.message.edit_reply_markup(reply_markup=None)  # type: ignore[union-attr]
        except (TelegramAPIError, AttributeError):
            pass


async def confirmed(query: CallbackQuery, state: FSMContext, bot: Bot, i18n: Translator,
                    repo: Repositories) -> None:
    user_id = query.from_user.id
    certificates = await repo.certificates.list_for_user(user_id)
    # Cascades to checks, certificates, reminders, tickets; the SNILS registry stays.
    await repo.users.delete(user_id)
    await state.clear()
    card_cache.forget({certificate.id for certificate in certificates})
    await query.answer()
    await _drop_buttons(query)
    snils_kept = any(certificate.snils_last for certificate in certificates)
    await bot.send_message(user_id, i18n("forget-done", snils="yes" if snils_kept else "no"),
                           reply_markup=main_menu(i18n))


async def declined(query: CallbackQuery, bot: Bot, i18n: Translator) -> None:
    await query.answer()
    await _drop_buttons(query)
    await bot.send_message(query.from_user.id, i18n("forget-cancelled"),
                           reply_markup=main_menu(i18n))


def create_router() -> Router:
    router = Router(name="forget")
    router.message.register(ask, Command("forget"))
    router.callback_query.register(confirmed, ForgetChoice.filter(F.answer == "yes"))
    router.callback_query.register(declined, ForgetChoice.filter(F.answer == "no"))
    return router
