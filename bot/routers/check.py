"""/check: can this person get the antibody certificate? One question per message, then the verdict.

Answers live in FSM data as plain JSON values (step name -> answer code; "date" as ISO string).
Every answer button carries its step, so a button of an earlier question is recognised as stale
instead of being applied to the current one.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, User

from bot.callbacks import CheckAnswer, CheckNav, MenuAction
from bot.clock import Clock
from bot.faq.intents import MenuSection
from bot.filters.menu_word import MenuWord
from bot.i18n import Translator
from bot.keyboards.check import (
    STEP_OPTIONS,
    STEP_ORDER,
    question_keyboard,
    restart_keyboard,
    verdict_keyboard,
)
from bot.keyboards.menu import main_menu
from bot.states import TEST_DATE_KEY, CheckFlow
from bot.verdict import render_verdict
from domain import (
    AntibodyClass,
    AntibodyTest,
    DateParseError,
    LabStatus,
    Measurement,
    PersonHistory,
    TriState,
    check_eligibility,
    format_date,
    parse_user_date,
)
from storage import Repositories

log = logging.getLogger(__name__)

#: users.last_interaction is a short code, not a log.
MAX_INTERACTION_CODE = 100

_CLASSES = {
    "igg": AntibodyClass.IGG,
    "igm": AntibodyClass.IGM,
    "total": AntibodyClass.TOTAL,
    "unknown": AntibodyClass.UNKNOWN,
}
_MEASUREMENTS = {
    "qualitative": Measurement.QUALITATIVE,
    "quantitative": Measurement.QUANTITATIVE,
    "unknown": Measurement.UNKNOWN,
}
_RESULTS: dict[str, bool | None] = {"positive": True, "negative": False, "unknown": None}
_TRI = {"yes": TriState.YES, "no": TriState.NO, "unknown": TriState.UNKNOWN}
_YES_NO = {"yes": True, "no": False}


def _state_of(step: str) -> str:
    state = getattr(CheckFlow, step).state
    assert isinstance(state, str)
    return state


_STEP_BY_STATE = {_state_of(step): step for step in STEP_ORDER}


async def _current_step(state: FSMContext) -> str | None:
    current = await state.get_state()
    return _STEP_BY_STATE.get(current) if current else None


async def _ask(
    message: Message, state: FSMContext, t: Translator, step: str, *, prefix: str | None = None
) -> None:
    await state.set_state(getattr(CheckFlow, step))
    text = t(f"check-q-{step}")
    if prefix:
        text = f"{prefix}\n\n{text}"
    await message.answer(text, reply_markup=question_keyboard(t, step))


async def _begin(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await message.answer(t("check-intro"))
    await _ask(message, state, t, STEP_ORDER[0])


# --- entry points -------------------------------------------------------------------------


async def check_command(message: Message, state: FSMContext, i18n: Translator) -> None:
    await _begin(message, state, i18n)


async def check_from_menu(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await _begin(query.message, state, i18n)


async def check_again(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await _begin(query.message, state, i18n)


# --- navigation ---------------------------------------------------------------------------


async def cancel(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    had_check = await _current_step(state) is not None
    await query.answer()
    if not had_check:
        # A cancel button of a finished or abandoned check: nothing of ours to cancel.
        if isinstance(query.message, Message):
            await query.message.answer(i18n("check-stale"), reply_markup=main_menu(i18n))
        return
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.answer(i18n("check-cancelled"), reply_markup=main_menu(i18n))


async def back(
    query: CallbackQuery, callback_data: CheckNav, state: FSMContext, i18n: Translator
) -> None:
    step = await _current_step(state)
    if step is None or step != callback_data.step:
        await query.answer(i18n("check-stale"))
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    index = STEP_ORDER.index(step)
    if index == 0:
        await state.clear()
        await query.message.answer(i18n("menu-title"), reply_markup=main_menu(i18n))
        return
    await _ask(query.message, state, i18n, STEP_ORDER[index - 1])


# --- answers ------------------------------------------------------------------------------


async def answer(
    query: CallbackQuery,
    callback_data: CheckAnswer,
    state: FSMContext,
    i18n: Translator,
    repo: Repositories,
    clock: Clock,
) -> None:
    step = await _current_step(state)
    if (
        step is None
        or step != callback_data.step
        or callback_data.value not in STEP_OPTIONS.get(step, ())
    ):
        await query.answer(i18n("check-stale"))
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    message = query.message

    if step == "test" and callback_data.value == "pcr":
        await state.clear()
        await _record_interaction(repo, query.from_user, clock, "check:pcr")
        await message.answer(i18n("check-pcr"), reply_markup=restart_keyboard(i18n))
        return

    await state.update_data({step: callback_data.value})
    await _advance(message, state, i18n, repo, clock, step, query.from_user)


async def date_typed(
    message: Message, state: FSMContext, i18n: Translator, repo: Repositories, clock: Clock
) -> None:
    text = message.text or ""
    try:
        parsed = parse_user_date(text, clock.today())
    except DateParseError as error:
        await _ask(message, state, i18n, "date", prefix=_date_error(i18n, error))
        return
    if parsed > clock.today():  # said now, not five questions later in the verdict
        await _ask(
            message, state, i18n, "date", prefix=i18n("check-date-future", date=format_date(parsed))
        )
        return
    await state.update_data({"date": parsed.isoformat()})
    await _advance(
        message,
        state,
        i18n,
        repo,
        clock,
        "date",
        message.from_user,
        prefix=i18n("check-date-accepted", date=format_date(parsed)),
    )


async def date_not_text(message: Message, state: FSMContext, i18n: Translator) -> None:
    await _ask(message, state, i18n, "date", prefix=i18n("check-date-need-text"))


async def typed_instead_of_button(message: Message, state: FSMContext, i18n: Translator) -> None:
    step = await _current_step(state)
    if step is None:  # pragma: no cover - the filter guarantees a step
        return
    await _ask(message, state, i18n, step, prefix=i18n("check-use-buttons"))


def _date_error(t: Translator, error: DateParseError) -> str:
    code = error.code.value.replace("_", "-")
    args: dict[str, object] = {"text": error.text.strip()[:40]}
    if error.month is not None:
        args["month"] = error.month
    if error.day is not None:
        args["day"] = str(error.day)
    if error.year is not None:
        args["year"] = str(error.year)
    if error.min_year is not None:
        args["min"] = str(error.min_year)
    if error.max_year is not None:
        args["max"] = str(error.max_year)
    if error.days_in_month is not None:
        args["days"] = error.days_in_month
    return t(f"check-date-error-{code}", **args)


async def _advance(
    message: Message,
    state: FSMContext,
    t: Translator,
    repo: Repositories,
    clock: Clock,
    step: str,
    user: User | None,
    *,
    prefix: str | None = None,
) -> None:
    index = STEP_ORDER.index(step)
    if index + 1 < len(STEP_ORDER):
        following = STEP_ORDER[index + 1]
        if following == "issued" and user is not None:
            saved = await repo.certificates.latest_for_user(user.id)
            if saved is not None:  # a certificate saved in the bot: it was generated already
                hint = t("check-issued-hint", date=format_date(saved.test_date))
                prefix = f"{prefix}\n\n{hint}" if prefix else hint
        await _ask(message, state, t, following, prefix=prefix)
        return
    await _finish(message, state, t, repo, clock, user)


# --- the verdict --------------------------------------------------------------------------


def answers_to_domain(data: dict[str, Any]) -> tuple[AntibodyTest, PersonHistory]:
    """FSM data -> domain values. Raises KeyError/ValueError when an answer is missing or odd."""
    test = AntibodyTest(
        antibody_class=_CLASSES[data["test"]],
        measurement=_MEASUREMENTS[data["measure"]],
        positive=_RESULTS[data["result"]],
        result_date=date.fromisoformat(data["date"]),
        lab=LabStatus(accredited=_TRI[data["accredited"]], sends_to_epgu=_TRI[data["epgu"]]),
    )
    history = PersonHistory(
        had_vaccination_qr=_YES_NO[data["vaccination"]],
        had_recovery_qr=_YES_NO[data["recovery"]],
        has_antibody_certificate=_YES_NO[data["issued"]],
    )
    return test, history


async def _finish(
    message: Message,
    state: FSMContext,
    t: Translator,
    repo: Repositories,
    clock: Clock,
    user: User | None,
) -> None:
    data = await state.get_data()
    try:
        test, history = answers_to_domain(data)
    except (KeyError, ValueError, TypeError):
        log.warning("check answers incomplete, restarting", extra={"keys": sorted(data)})
        await state.clear()
        await message.answer(t("check-lost"))
        await _ask(message, state, t, STEP_ORDER[0])
        return

    today = clock.today()
    verdict = check_eligibility(test, history, today)
    # Leave no state behind; keep only the test date for the guide / "save it in the bot".
    await state.set_state(None)
    await state.set_data(
        {TEST_DATE_KEY: test.result_date.isoformat()} if verdict.validity is not None else {}
    )
    reasons = [reason.value for reason in verdict.reasons]
    code = f"check:{verdict.outcome.value}:{','.join(reasons)}"
    await _record_interaction(repo, user, clock, code)
    if user is not None:
        await repo.checks.add(user.id, verdict.outcome.value, reasons, clock.now())
    await message.answer(
        render_verdict(t, verdict, test.result_date, today),
        reply_markup=verdict_keyboard(t, eligible=verdict.eligible),
    )


async def _record_interaction(
    repo: Repositories, user: User | None, clock: Clock, code: str
) -> None:
    if user is None:
        return
    await repo.users.touch(user.id, clock.now())
    if len(code) > MAX_INTERACTION_CODE:  # cut at a code's end, never inside one
        code = code[: code.rfind(",", 0, MAX_INTERACTION_CODE)]
    await repo.users.set_last_interaction(user.id, code)


def create_router() -> Router:
    router = Router(name="check")
    router.message.register(check_command, Command("check"))
    router.message.register(check_command, MenuWord(MenuSection.CHECK), StateFilter(None))
    router.callback_query.register(check_from_menu, MenuAction.filter(F.action == "check"))
    router.callback_query.register(check_again, CheckNav.filter(F.action == "again"))
    router.callback_query.register(cancel, CheckNav.filter(F.action == "cancel"))
    router.callback_query.register(back, CheckNav.filter(F.action == "back"))
    router.callback_query.register(answer, CheckAnswer.filter())
    # Commands ("/faq", "/start", ...) are left to their routers: never taken for an answer.
    not_a_command = ~F.text.startswith("/")
    router.message.register(date_typed, StateFilter(CheckFlow.date), F.text, not_a_command)
    router.message.register(date_not_text, StateFilter(CheckFlow.date), ~F.text)
    button_steps = [getattr(CheckFlow, step) for step in STEP_ORDER if STEP_OPTIONS[step]]
    router.message.register(typed_instead_of_button, StateFilter(*button_steps), not_a_command)
    return router
