"""The Госуслуги walk-through: the memo's steps 2–6, one message at a time.

Stateless on purpose: every button carries its step, so old messages keep working and nothing
can get stuck. The only FSM data read is "test_date" (ISO), left by /check, to say until when
the certificate will be valid; it stays for the certificate flow ("Save it in the bot").
"""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import GuideAction, MenuAction
from bot.clock import Clock
from bot.faq.intents import MenuSection
from bot.filters.menu_word import MenuWord
from bot.i18n import Markup, Translator
from bot.keyboards.guide import GUIDE_STEPS, finish_keyboard, missing_keyboard, step_keyboard
from bot.keyboards.menu import main_menu
from bot.states import TEST_DATE_KEY
from domain import Validity, format_date


async def _leave_other_flows(state: FSMContext) -> None:
    """Entering the guide ends any half-done conversation, keeping only the test date."""
    data = await state.get_data()
    test_date = data.get(TEST_DATE_KEY)
    await state.set_state(None)
    await state.set_data({TEST_DATE_KEY: test_date} if isinstance(test_date, str) else {})


async def _show(message: Message, t: Translator, step: int) -> None:
    await message.answer(
        t("guide-step", step=step, total=GUIDE_STEPS, text=Markup(t(f"guide-step-{step}"))),
        reply_markup=step_keyboard(t, step),
    )


async def guide_command(message: Message, state: FSMContext, i18n: Translator) -> None:
    await _leave_other_flows(state)
    await message.answer(i18n("guide-intro"))
    await _show(message, i18n, 1)


async def guide_from_menu(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await query.answer()
    await _leave_other_flows(state)
    if isinstance(query.message, Message):
        await query.message.answer(i18n("guide-intro"))
        await _show(query.message, i18n, 1)


async def guide_action(
    query: CallbackQuery,
    callback_data: GuideAction,
    state: FSMContext,
    i18n: Translator,
    clock: Clock,
) -> None:
    step, action = callback_data.step, callback_data.action
    if not 1 <= step <= GUIDE_STEPS or action not in ("done", "missing", "back", "show", "cancel"):
        await query.answer(i18n("button-expired"))
        return
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    if action == "cancel":
        # The guide keeps no state: a conversation started since must not be lost.
        await message.answer(i18n("guide-cancelled"), reply_markup=main_menu(i18n))
    elif action == "missing":
        await message.answer(
            i18n(f"guide-missing-{step}"), reply_markup=missing_keyboard(i18n, step)
        )
    elif action == "show":
        await _show(message, i18n, step)
    elif action == "back":
        if step == 1:
            await message.answer(i18n("menu-title"), reply_markup=main_menu(i18n))
        else:
            await _show(message, i18n, step - 1)
    elif step < GUIDE_STEPS:
        await _show(message, i18n, step + 1)
    else:
        await message.answer(
            await _finish_text(state, i18n, clock), reply_markup=finish_keyboard(i18n)
        )


async def _finish_text(state: FSMContext, t: Translator, clock: Clock) -> str:
    text = t("guide-finish")
    raw = (await state.get_data()).get(TEST_DATE_KEY)
    try:
        test_date = date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        test_date = None
    if test_date is None:
        return text
    validity = Validity.from_test_date(test_date)
    today = clock.today()
    if not validity.is_valid(today):
        return text
    dated = t(
        "guide-finish-dated",
        date=format_date(test_date),
        expires=format_date(validity.expires_on),
        days=validity.days_left(today),
    )
    return f"{text}\n\n{dated}"


def create_router() -> Router:
    router = Router(name="guide")
    router.message.register(guide_command, Command("guide"))
    router.message.register(guide_command, MenuWord(MenuSection.GUIDE), StateFilter(None))
    router.callback_query.register(guide_from_menu, MenuAction.filter(F.action == "guide"))
    router.callback_query.register(guide_action, GuideAction.filter())
    return router
