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
from bot.clock import Clock
from bot.i18n import Translator
from bot.kept_questions import KeptQuestions
from bot.keyboards.certificate import forget_keyboard
from bot.keyboards.menu import main_menu
from storage import Repositories

#: a confirmation older than this is asked again: deleting everything needs a "yes" given now
CONFIRM_SECONDS = 5 * 60


async def ask(message: Message, i18n: Translator, clock: Clock) -> None:
    asked = int(clock.now().timestamp())
    await message.answer(i18n("forget-confirm"), reply_markup=forget_keyboard(i18n, asked))


async def _reply(query: CallbackQuery, bot: Bot, text: str, t: Translator) -> None:
    """Turn the confirmation into the outcome (one message); a new one if it can't be edited."""
    if isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, reply_markup=main_menu(t))
            return
        except TelegramAPIError:
            pass
    await bot.send_message(query.from_user.id, text, reply_markup=main_menu(t))


async def confirmed(
    query: CallbackQuery,
    callback_data: ForgetChoice,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    repo: Repositories,
    kept_questions: KeptQuestions,
    clock: Clock,
) -> None:
    now = int(clock.now().timestamp())
    if not 0 <= now - callback_data.asked <= CONFIRM_SECONDS:
        try:
            asked_again = forget_keyboard(i18n, now)
            await bot.send_message(
                query.from_user.id, i18n("forget-confirm-again"), reply_markup=asked_again
            )
        finally:
            await query.answer()
        return
    user_id = query.from_user.id
    certificates = await repo.certificates.list_for_user(user_id)
    # Cascades to checks, certificates, reminders, tickets; the SNILS registry stays.
    if not await repo.users.delete(user_id):  # nothing stored (or a second tap: all gone)
        await query.answer(i18n("forget-nothing"), show_alert=True)
        return
    await state.clear()
    kept_questions.forget(user_id)
    card_cache.forget({certificate.id for certificate in certificates})
    try:  # answered last: the reply is on its way when the spinner stops
        snils_kept = any(certificate.snils_given for certificate in certificates)
        await _reply(query, bot, i18n("forget-done", snils="yes" if snils_kept else "no"), i18n)
    finally:
        await query.answer()


async def declined(query: CallbackQuery, bot: Bot, i18n: Translator) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        await _reply(query, bot, i18n("forget-cancelled"), i18n)
    finally:
        await query.answer()


def create_router() -> Router:
    router = Router(name="forget")
    router.message.register(ask, Command("forget"))
    router.callback_query.register(confirmed, ForgetChoice.filter(F.answer == "yes"))
    router.callback_query.register(declined, ForgetChoice.filter(F.answer == "no"))
    return router
