"""The steps of saving a certificate (bot/routers/certificate.py has the entry and the wiring):
(a) the test date, (b) the holder's name, (c) the official link, (d) the SNILS, then the record
and the card. Each step asks, checks what is typed with domain/, and moves on."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from aiogram import Bot, F
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.certificate_view import send_card
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Translator
from bot.keyboards.certificate import card_keyboard, step_keyboard
from bot.reminders.schedule import schedule_certificate_reminders
from bot.states import TEST_DATE_KEY, CertificateFlow
from domain import (
    DateParseError,
    DateParseErrorCode,
    SnilsError,
    expiry_date,
    format_date,
    parse_snils,
    parse_user_date,
)
from domain.certificate_input import (
    MAX_NAME_LENGTH,
    HolderNameError,
    HolderNameErrorCode,
    LinkError,
    clean_holder_name,
    validate_official_link,
)
from domain.snils import Snils, fingerprint_of_digest, snils_digest
from storage import Repositories, SnilsAlreadyUsed, SnilsKeys
from storage.certificates import new_certificate_token

log = logging.getLogger(__name__)

#: FSM keys of this flow (the /check flow's "test_date" is only read, as a suggestion).
DATE, NAME, LINK = "cert_test_date", "cert_holder_name", "cert_official_url"
SUGGESTED = TEST_DATE_KEY
TYPED = F.text & ~F.text.startswith("/")


async def in_flow(state: FSMContext) -> bool:
    current = await state.get_state()
    return current is not None and current in CertificateFlow.__all_states_names__


# ------------------------------------------------------------------------- (a) the test date


async def ask_date(bot: Bot, chat_id: int, state: FSMContext, t: Translator) -> None:
    await state.set_state(CertificateFlow.test_date)
    suggested = _suggested_date(await state.get_data())
    if suggested is None:
        text = t("cert-ask-date")
        keyboard = step_keyboard(t, back=False)
    else:
        text = t("cert-ask-date-suggested", date=format_date(suggested))
        keyboard = step_keyboard(t, back=False, suggested=format_date(suggested))
    await bot.send_message(chat_id, text, reply_markup=keyboard)


def _suggested_date(data: dict[str, object]) -> date | None:
    raw = data.get(SUGGESTED)
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _date_error(t: Translator, error: DateParseError) -> str:
    code = error.code
    if code is DateParseErrorCode.EMPTY:
        return t("cert-date-empty")
    if code is DateParseErrorCode.MISSING_YEAR:
        return t("cert-date-missing-year")
    if code is DateParseErrorCode.MONTH_OUT_OF_RANGE:
        return t("cert-date-month-out-of-range", month=error.month or 0)
    if code is DateParseErrorCode.DAY_OUT_OF_RANGE:
        return t("cert-date-day-out-of-range", day=error.day or 0)
    if code is DateParseErrorCode.YEAR_OUT_OF_RANGE:
        return t("cert-date-year-out-of-range", min=str(error.min_year), max=str(error.max_year))
    if code is DateParseErrorCode.IMPOSSIBLE_DATE:
        return t("cert-date-impossible", days=error.days_in_month or 0)
    return t("cert-date-unrecognized", text=error.text[:40])


def _test_date_problem(t: Translator, test_date: date, today: date) -> str | None:
    """Why a certificate can't come from this test date (future / older than 6 months)."""
    if test_date > today:
        return t("cert-date-future", date=format_date(test_date))
    expires = expiry_date(test_date)
    if expires < today:
        return t("cert-date-too-old", date=format_date(test_date), expires=format_date(expires))
    return None


async def _accept_date(
    bot: Bot, chat_id: int, state: FSMContext, t: Translator, test_date: date, today: date
) -> None:
    problem = _test_date_problem(t, test_date, today)
    if problem is not None:
        await bot.send_message(chat_id, problem, reply_markup=step_keyboard(t, back=False))
        return
    await state.update_data({DATE: test_date.isoformat()})
    await ask_name(bot, chat_id, state, t)


async def typed_date(
    message: Message, state: FSMContext, bot: Bot, i18n: Translator, clock: Clock
) -> None:
    today = clock.today()
    try:
        test_date = parse_user_date(message.text or "", today)
    except DateParseError as error:
        await message.answer(_date_error(i18n, error), reply_markup=step_keyboard(i18n, back=False))
        return
    await _accept_date(bot, message.chat.id, state, i18n, test_date, today)


async def suggested_date(
    query: CallbackQuery, state: FSMContext, bot: Bot, i18n: Translator, clock: Clock
) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        test_date = _suggested_date(await state.get_data())
        if test_date is None:
            await ask_date(bot, query.from_user.id, state, i18n)
            return
        await _accept_date(bot, query.from_user.id, state, i18n, test_date, clock.today())
    finally:
        await query.answer()


# ---------------------------------------------------------------------- (b) the holder's name


async def ask_name(bot: Bot, chat_id: int, state: FSMContext, t: Translator) -> None:
    await state.set_state(CertificateFlow.holder_name)
    await bot.send_message(
        chat_id, t("cert-ask-name", max=MAX_NAME_LENGTH), reply_markup=step_keyboard(t)
    )


_NAME_ERRORS = {
    HolderNameErrorCode.EMPTY: "cert-name-empty",
    HolderNameErrorCode.TOO_LONG: "cert-name-too-long",
    HolderNameErrorCode.CONTROL_CHARACTERS: "cert-name-control",
    HolderNameErrorCode.NOT_A_NAME: "cert-name-not-a-name",
}


async def typed_name(message: Message, state: FSMContext, bot: Bot, i18n: Translator) -> None:
    try:
        name = clean_holder_name(message.text or "")
    except HolderNameError as error:
        text = i18n(_NAME_ERRORS[error.code], length=error.length or 0, max=MAX_NAME_LENGTH)
        await message.answer(text, reply_markup=step_keyboard(i18n))
        return
    await state.update_data({NAME: name})
    await ask_link(bot, message.chat.id, state, i18n)


# ----------------------------------------------------------------- (c) the official link


async def ask_link(bot: Bot, chat_id: int, state: FSMContext, t: Translator) -> None:
    await state.set_state(CertificateFlow.official_link)
    await bot.send_message(
        chat_id,
        t("cert-ask-link"),
        reply_markup=step_keyboard(t, skip=True),
        disable_web_page_preview=True,
    )


async def typed_link(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
) -> None:
    try:
        link = validate_official_link(message.text or "")
    except LinkError as error:
        key = f"cert-link-{error.code.value.replace('_', '-')}"
        await message.answer(
            i18n(key), reply_markup=step_keyboard(i18n, skip=True), disable_web_page_preview=True
        )
        return
    await state.update_data({LINK: link})
    await ask_snils(bot, message.chat.id, state, i18n, repo, settings, clock)


async def skip_link(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        await state.update_data({LINK: None})
        await ask_snils(bot, query.from_user.id, state, i18n, repo, settings, clock)
    finally:
        await query.answer()


# ------------------------------------------------------------------------------ (d) SNILS


async def ask_snils(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    t: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
) -> None:
    if settings.snils_key is None:
        # Without a server secret the number can't be kept safely: don't ask for it.
        log.warning("SECRET_KEY missing or short: the SNILS step is skipped")
        await _record(bot, chat_id, state, t, repo, settings, clock, snils=None)
        return
    await state.set_state(CertificateFlow.snils)
    await bot.send_message(chat_id, t("cert-ask-snils"), reply_markup=step_keyboard(t, skip=True))


_SNILS_ERRORS = {
    "empty": "cert-snils-empty",
    "bad_characters": "cert-snils-bad-characters",
    "wrong_length": "cert-snils-wrong-length",
    "bad_checksum": "cert-snils-bad-checksum",
}


async def typed_snils(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
) -> None:
    text = message.text or ""
    # The number is personal data: take it out of the chat history first, whatever it is.
    try:
        deleted = bool(await message.delete())
    except TelegramAPIError:
        deleted = False
    # One message: what happened to theirs, then what comes next.
    notice = i18n("cert-snils-deleted" if deleted else "cert-snils-not-deleted")
    try:
        snils = parse_snils(text)
    except SnilsError as error:
        why = i18n(
            _SNILS_ERRORS[error.code.value],
            chars=error.bad_characters[:10],
            length=error.length or 0,
        )
        await message.answer(f"{notice}\n\n{why}", reply_markup=step_keyboard(i18n, skip=True))
        return
    key = settings.snils_key
    assert key is not None  # the step is only asked with a key
    keys = await asyncio.to_thread(_snils_keys, snils, key)  # ~95 ms of scrypt: off the loop
    raw_date = (await state.get_data()).get(DATE)
    test_date = date.fromisoformat(raw_date) if isinstance(raw_date, str) else None
    if await repo.certificates.snils_used(keys, test_date):
        await message.answer(
            notice + "\n\n" + i18n("cert-snils-used"), reply_markup=step_keyboard(i18n, skip=True)
        )
        return
    await _record(
        bot, message.chat.id, state, i18n, repo, settings, clock, snils=keys, notice=notice
    )


def _snils_keys(snils: Snils, key: bytes) -> SnilsKeys:
    legacy = snils_digest(snils, key)
    return SnilsKeys(fingerprint=fingerprint_of_digest(legacy, key), legacy=legacy)


async def skip_snils(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    i18n: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
) -> None:
    try:  # answered last: the reply is on its way when the spinner stops
        await _record(bot, query.from_user.id, state, i18n, repo, settings, clock, snils=None)
    finally:
        await query.answer()


# ---------------------------------------------------------------------------- record + card


async def _record(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    t: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
    *,
    snils: SnilsKeys | None,
    notice: str | None = None,
) -> None:
    """Store the certificate once: a double tap (or the SNILS sent twice) is handled after the
    first (one person's updates run one at a time: bot/middlewares/fairness.py), finds the
    conversation finished and does nothing."""
    if not await in_flow(state):
        return
    await _store_and_send(bot, chat_id, state, t, repo, settings, clock, snils=snils, notice=notice)


async def _store_and_send(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    t: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
    *,
    snils: SnilsKeys | None,
    notice: str | None = None,
) -> None:
    """Store the certificate, plan its reminders, send the card. ``notice`` goes first."""
    lead = f"{notice}\n\n" if notice else ""
    data = await state.get_data()
    today = clock.today()
    raw_date, name, link = data.get(DATE), data.get(NAME), data.get(LINK)
    if not isinstance(raw_date, str) or not isinstance(name, str):
        await ask_date(bot, chat_id, state, t)  # lost or stale conversation: start over
        return
    test_date = date.fromisoformat(raw_date)
    problem = _test_date_problem(t, test_date, today)  # the conversation may have waited
    if problem is not None:
        await bot.send_message(chat_id, lead + problem)
        await ask_date(bot, chat_id, state, t)
        return
    await repo.users.touch(chat_id, clock.now())
    try:
        certificate = await repo.certificates.add(
            chat_id,
            holder_name=name,
            test_date=test_date,
            expires_on=expiry_date(test_date),
            now=clock.now(),
            official_url=link if isinstance(link, str) else None,
            snils=snils,
            token=new_certificate_token(),
        )
    except SnilsAlreadyUsed:  # registered between the check and the insert
        await bot.send_message(
            chat_id, lead + t("cert-snils-used"), reply_markup=step_keyboard(t, skip=True)
        )
        return
    await state.clear()
    try:
        await schedule_certificate_reminders(repo, settings, certificate, now=clock.now())
    except Exception:  # the certificate is saved; reminders must not lose it
        log.exception("scheduling reminders for certificate %s failed", certificate.id)
    await bot.send_message(chat_id, lead + t("cert-saved"))
    await send_card(bot, chat_id, certificate, today, t, reply_markup=card_keyboard(t))
