"""/check end to end through the fake Bot API: every verdict, dates, back/cancel, restarts, load."""

from __future__ import annotations

import asyncio
import itertools
import random
from datetime import date
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.keyboards.check import STEP_OPTIONS, STEP_ORDER
from bot.routers.check import answers_to_domain
from bot.verdict import reason_text, render_verdict, step_key
from domain import Reason, check_eligibility
from fake_telegram import BotMessage, SimulatedUser
from tests.conftest import TEST_NOW, RunningBot, make_settings

TODAY = TEST_NOW.date()  # 28.11.2026
HUB = I18n(strict=True)
RU = HUB.get("ru")
EN = HUB.get("en")

GOOD = {
    "test": "igg",
    "measure": "quantitative",
    "result": "positive",
    "date": "20.11.2026",
    "accredited": "yes",
    "epgu": "yes",
    "vaccination": "no",
    "recovery": "no",
    "issued": "no",
}


def answers(**overrides: str) -> dict[str, str]:
    return {**GOOD, **overrides}


def iso(typed: str) -> str:
    day, month, year = typed.split(".")
    return f"{year}-{month}-{day}"


async def start_check(
    user: SimulatedUser, t: Translator, wait: float | None = None
) -> list[BotMessage]:
    replies = await user.send("/check", expect=2, timeout=wait)
    assert t("check-q-test") == replies[-1].html
    return replies


async def run_check(
    user: SimulatedUser, given: dict[str, str], t: Translator = RU, wait: float | None = None
) -> BotMessage:
    """Answer every question (asserting back/cancel on each); return the verdict message."""
    await start_check(user, t, wait)
    replies: list[BotMessage] = []
    for step in STEP_ORDER:
        question = user.last_message
        assert question is not None and t(f"check-q-{step}") in (question.html or "")
        assert question.buttons[-1] == [t("button-back"), t("button-cancel")]
        # expect=1: under load the next question may come well after the callback answer.
        if step == "date":
            replies = await user.send(given["date"], expect=1, timeout=wait)
        else:
            replies = await user.click(t(f"check-{step}-{given[step]}"), expect=1, timeout=wait)
    assert len(replies) == 1
    return replies[-1]


def expected_html(given: dict[str, str], t: Translator) -> str:
    test, history = answers_to_domain({**given, "date": iso(given["date"])})
    return render_verdict(t, check_eligibility(test, history, TODAY), test.result_date, TODAY)


async def fsm(running_bot: RunningBot, user: SimulatedUser) -> tuple[str | None, dict[str, object]]:
    key = StorageKey(bot_id=running_bot.bot.id, chat_id=user.id, user_id=user.id)
    storage = running_bot.dp.storage
    return await storage.get_state(key), await storage.get_data(key)


# --- verdicts ---------------------------------------------------------------------------------


async def test_eligible_path(user: SimulatedUser, running_bot: RunningBot) -> None:
    verdict = await run_check(user, GOOD)
    assert verdict.html == expected_html(GOOD, RU)
    assert verdict.text is not None
    assert verdict.text.startswith("✅ По вашим ответам вы можете получить")
    assert "до 20.05.2027, осталось 173 дня" in verdict.text
    assert verdict.button_labels == [
        "🧭 Провести по шагам на Госуслугах",
        "🔁 Проверить заново",
        "🏠 Меню",
    ]
    state, data = await fsm(running_bot, user)
    assert state is None and data == {"test_date": "2026-11-20"}
    stored = await running_bot.repo.users.get(user.id)
    assert stored is not None and stored.last_interaction == "check:eligible:"
    stats = await running_bot.repo.checks.stats()
    assert stats.by_outcome == {"eligible": 1}


async def test_eligible_path_in_english(english_user: SimulatedUser) -> None:
    verdict = await run_check(english_user, GOOD, EN)
    assert verdict.html == expected_html(GOOD, EN)
    assert "until 20.05.2027, 173 days left" in (verdict.text or "")
    assert "🧭 Walk me through Gosuslugi" in verdict.button_labels


ALONE = {
    Reason.HAS_VACCINATION_QR: answers(vaccination="yes"),
    Reason.HAS_RECOVERY_QR: answers(recovery="yes"),
    Reason.ALREADY_ISSUED: answers(issued="yes"),
    Reason.NOT_IGG: answers(test="igm"),
    Reason.ANTIBODY_CLASS_UNKNOWN: answers(test="unknown"),
    Reason.NOT_POSITIVE: answers(result="negative", measure="qualitative"),
    Reason.RESULT_UNKNOWN: answers(result="unknown", measure="unknown"),
    Reason.RESULT_IN_FUTURE: answers(date="05.12.2026"),
    Reason.RESULT_TOO_OLD: answers(date="27.05.2026"),
    Reason.LAB_NOT_ACCREDITED: answers(accredited="no"),
    Reason.LAB_NOT_SENDING_TO_EPGU: answers(epgu="no"),
    Reason.LAB_UNKNOWN: answers(accredited="unknown"),
}


def test_every_reason_has_a_scenario() -> None:
    assert set(ALONE) == set(Reason)


# RESULT_IN_FUTURE cannot be reached by answering: the date question refuses a future date
# (test_a_future_date_is_refused_at_the_question); the verdict keeps the reason for its callers.
@pytest.mark.parametrize("reason", [r for r in Reason if r is not Reason.RESULT_IN_FUTURE])
async def test_each_reason_alone(
    user: SimulatedUser, running_bot: RunningBot, reason: Reason
) -> None:
    given = ALONE[reason]
    verdict = await run_check(user, given)
    test, history = answers_to_domain({**given, "date": iso(given["date"])})
    expected = check_eligibility(test, history, TODAY)
    assert expected.reasons == (reason,)
    assert verdict.html == expected_html(given, RU)
    html = verdict.html or ""
    assert f"1. {reason_text(RU, reason, test.result_date)}" in html
    for step in expected.advice[0][1]:
        assert RU(step_key(step)) in html
    outcome = "uncertain" if reason.is_soft else "not_eligible"
    headline = RU("check-verdict-uncertain" if reason.is_soft else "check-verdict-not-eligible")
    assert html.startswith(f"<b>{headline}</b>")
    assert ("осталось" in html) is reason.is_soft  # validity only when not blocked
    assert ("🧭 Провести по шагам на Госуслугах" in verdict.button_labels) is False
    stored = await running_bot.repo.users.get(user.id)
    assert stored is not None and stored.last_interaction == f"check:{outcome}:{reason.value}"
    stats = await running_bot.repo.checks.stats()
    assert stats.by_reason == {reason.value: 1}


async def test_total_antibodies_are_not_igg(user: SimulatedUser) -> None:
    verdict = await run_check(user, answers(test="total"))
    assert reason_text(RU, Reason.NOT_IGG, date(2026, 11, 20)) in (verdict.html or "")


async def test_several_reasons_at_once(user: SimulatedUser, running_bot: RunningBot) -> None:
    given = answers(
        test="igm",
        result="negative",
        date="01.01.2026",
        accredited="no",
        epgu="no",
        vaccination="yes",
        issued="yes",
    )
    verdict = await run_check(user, given)
    assert verdict.html == expected_html(given, RU)
    html = verdict.html or ""
    codes = [
        "has_vaccination_qr",
        "already_issued",
        "not_igg",
        "not_positive",
        "result_too_old",
        "lab_not_accredited",
        "lab_not_sending_to_epgu",
    ]
    for number, code in enumerate(codes, start=1):
        assert f"\n{number}. {reason_text(RU, Reason(code), date(2026, 1, 1))}" in html
    assert RU("check-personal-note") in html
    assert len(verdict.text or "") < 4096
    stored = await running_bot.repo.users.get(user.id)
    assert stored is not None
    full = "check:not_eligible:" + ",".join(codes)
    assert stored.last_interaction == full[: full.rfind(",", 0, 100)]  # whole codes only


async def test_pcr_is_not_an_antibody_test(user: SimulatedUser, running_bot: RunningBot) -> None:
    await start_check(user, RU)
    replies = await user.click("Это был ПЦР-тест")
    assert replies[-1].html == RU("check-pcr")
    assert replies[-1].button_labels == ["🔁 Проверить заново", "🏠 Меню"]
    assert (await fsm(running_bot, user))[0] is None
    replies = await user.click("🔁 Проверить заново", expect=2)
    assert replies[-1].html == RU("check-q-test")


# --- dates ------------------------------------------------------------------------------------


async def _to_date_step(user: SimulatedUser) -> None:
    await start_check(user, RU)
    await user.click("Антитела IgG")
    await user.click("Качественный")
    await user.click("Положительный")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31.02.2026", "«31.02.2026»: в феврале 2026 года 28 дней."),
        ("abc", "«abc» — не похоже на дату."),
        ("05.03", "«05.03»: не хватает года."),
        ("05.13.2026", "«05.13.2026»: месяца 13 не бывает"),
        ("32.03.2026", "«32.03.2026»: дня 32 не бывает"),
        ("01.01.2019", "«01.01.2019»: год должен быть от 2020 до 2027"),
        ("<i>1</i>", "«<i>1</i>» — не похоже на дату."),
    ],
)
async def test_bad_date_is_explained_and_asked_again(
    user: SimulatedUser, running_bot: RunningBot, typed: str, message: str
) -> None:
    await _to_date_step(user)
    replies = await user.send(typed)
    assert len(replies) == 1
    assert (replies[0].text or "").startswith(message)
    assert RU("check-q-date") in (replies[0].html or "")
    assert (await fsm(running_bot, user))[0] == "CheckFlow:date"
    replies = await user.send("20.11.2026")
    assert (replies[0].text or "").startswith("Дата результата: 20.11.2026.")
    assert RU("check-q-accredited") in (replies[0].html or "")


async def test_sticker_like_message_at_date_step(user: SimulatedUser) -> None:
    await _to_date_step(user)
    replies = await user.send_photo(b"not really a photo")
    assert (replies[-1].text or "").startswith("Напишите дату текстом")


@pytest.mark.parametrize("typed", ["28.11.2026", "01.01.2025", "вчера"])
async def test_today_and_old_dates_are_accepted(
    user: SimulatedUser, running_bot: RunningBot, typed: str
) -> None:
    await _to_date_step(user)
    replies = await user.send(typed)
    assert RU("check-q-accredited") in (replies[0].html or "")
    _, data = await fsm(running_bot, user)
    expected = "2026-11-27" if typed == "вчера" else iso(typed)
    assert data["date"] == expected


# --- navigation -------------------------------------------------------------------------------


async def test_back_goes_to_the_previous_question(user: SimulatedUser) -> None:
    await _to_date_step(user)
    replies = await user.click("⬅️ Назад")
    assert replies[-1].html == RU("check-q-result")
    replies = await user.click("⬅️ Назад")
    assert replies[-1].html == RU("check-q-measure")
    await user.click("Количественный")
    await user.click("Отрицательный")
    await user.send("20.11.2026")
    await user.click("Да")
    replies = await user.click("⬅️ Назад")
    assert replies[-1].html == RU("check-q-accredited")
    for label in ("Да", "Да", "Нет", "Нет", "Нет"):
        replies = await user.click(label)
    assert RU("check-reason-not-positive") in (replies[-1].html or "")  # the changed answer won


async def test_back_on_the_first_question_opens_the_menu(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await start_check(user, RU)
    replies = await user.click("⬅️ Назад")
    assert replies[-1].html == RU("menu-title")
    assert (await fsm(running_bot, user))[0] is None


@pytest.mark.parametrize("answered", [0, 3, 6])
async def test_cancel_on_a_step(
    user: SimulatedUser, running_bot: RunningBot, answered: int
) -> None:
    await start_check(user, RU)
    for step in STEP_ORDER[:answered]:
        if step == "date":
            await user.send(GOOD["date"])
        else:
            await user.click(RU(f"check-{step}-{GOOD[step]}"))
    replies = await user.click("✖️ Отмена")
    assert replies[-1].text == "Проверка отменена."
    assert "✅ Проверить, можно ли получить" in replies[-1].button_labels
    assert await fsm(running_bot, user) == (None, {})
    assert (await running_bot.repo.checks.stats()).total == 0


async def test_a_button_of_an_earlier_question_is_stale(user: SimulatedUser) -> None:
    first = (await start_check(user, RU))[-1]
    await user.click("Антитела IgG")
    await user.click("Антитела IgM", message=first)
    assert user.last_callback_answer is not None
    assert user.last_callback_answer.get("text") == RU("check-stale")
    assert user.last_message is not None
    assert user.last_message.html == RU("check-q-measure")  # nothing moved


async def test_typing_instead_of_a_button_repeats_the_question(user: SimulatedUser) -> None:
    await start_check(user, RU)
    replies = await user.send("IgG")
    assert (replies[-1].text or "").startswith("Пожалуйста, выберите ответ кнопкой")
    assert RU("check-q-test") in (replies[-1].html or "")


async def test_start_midway_clears_the_state(user: SimulatedUser, running_bot: RunningBot) -> None:
    await _to_date_step(user)
    replies = await user.send("/start")
    assert "Здравствуйте, Анна" in (replies[-1].text or "")
    assert await fsm(running_bot, user) == (None, {})
    replies = await user.send("20.11.2026")  # no longer taken as a date
    assert RU("check-q-accredited") not in (replies[-1].html or "")


async def test_check_midway_starts_over(user: SimulatedUser, running_bot: RunningBot) -> None:
    await _to_date_step(user)
    await start_check(user, RU)
    state, data = await fsm(running_bot, user)
    assert state == "CheckFlow:test" and data == {}


async def test_menu_button_starts_the_check(user: SimulatedUser) -> None:
    await user.send("/start")
    replies = await user.click("✅ Проверить, можно ли получить", expect=2)
    assert replies[-1].html == RU("check-q-test")


async def test_check_again_after_a_verdict(user: SimulatedUser, running_bot: RunningBot) -> None:
    await run_check(user, GOOD)
    replies = await user.click("🔁 Проверить заново", expect=2)
    assert replies[-1].html == RU("check-q-test")
    assert await fsm(running_bot, user) == ("CheckFlow:test", {})


# --- load -------------------------------------------------------------------------------------


def _varied_answers(count: int) -> list[dict[str, str]]:
    # (a future date is refused at its question: test_a_future_date_is_refused_at_the_question)
    dates = ["20.11.2026", "01.06.2026", "27.11.2026", "28.11.2026", "30.05.2026"]
    choices = [
        dates if step == "date" else [o for o in STEP_OPTIONS[step] if o != "pcr"]
        for step in STEP_ORDER
    ]
    everything = [
        dict(zip(STEP_ORDER, combo, strict=True)) for combo in itertools.product(*choices)
    ]
    # Every outcome is present: one eligible and one "can't tell" person, the rest at random.
    fixed = [GOOD, answers(accredited="unknown", epgu="unknown")]
    rest = [g for g in everything if g not in fixed]
    return fixed + random.Random(20261128).sample(rest, count - len(fixed))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """This module is about the /check conversation and the bot's own capacity (200 people at
    once), not Telegram's ~30 messages a second: tests/test_outbound.py and benchmarks.burst hold
    the bot to those."""
    return make_settings(tmp_path, send_rate_per_second=1000)


async def test_200_users_check_at_once(running_bot: RunningBot) -> None:
    n = 200
    given = _varied_answers(n)
    assert len({tuple(g.values()) for g in given}) == n
    users = [
        running_bot.server.user(50_000 + i, f"User{i}", language_code="ru" if i % 3 else "en")
        for i in range(n)
    ]

    async def one(user: SimulatedUser, answers_: dict[str, str]) -> tuple[str, str]:
        t = EN if user.language_code == "en" else RU
        # 200 users share one event loop (bot + fake server + users): a turn can take a while.
        verdict = await run_check(user, answers_, t, wait=180)
        return verdict.html or "", expected_html(answers_, t)

    results = await asyncio.gather(*(one(u, g) for u, g in zip(users, given, strict=True)))
    for got, expected in results:
        assert got == expected
    outcomes = {
        check_eligibility(*answers_to_domain({**g, "date": iso(g["date"])}), TODAY).outcome
        for g in given
    }
    assert len(outcomes) == 3  # the mix really covers every outcome
    assert (await running_bot.repo.checks.stats()).total == 200


async def test_a_certificate_saved_in_the_bot_is_mentioned(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await running_bot.repo.users.touch(user.id, TEST_NOW)
    await running_bot.repo.certificates.add(
        user.id,
        holder_name="Анна",
        test_date=date(2026, 9, 1),
        expires_on=date(2027, 3, 1),
        now=TEST_NOW,
    )
    await start_check(user, RU)
    for step in STEP_ORDER[:-1]:
        if step == "date":
            replies = await user.send(GOOD["date"], expect=1)
        else:
            replies = await user.click(RU(f"check-{step}-{GOOD[step]}"), expect=1)
    assert "В боте сохранён ваш сертификат по тесту от 01.09.2026" in (replies[-1].text or "")
    assert RU("check-q-issued") in (replies[-1].html or "")


async def test_a_future_date_is_refused_at_the_question(user: SimulatedUser) -> None:
    """Issue 15: not five questions later in the verdict."""
    await start_check(user, RU)
    for step in STEP_ORDER[: STEP_ORDER.index("date")]:
        await user.click(RU(f"check-{step}-{GOOD[step]}"))
    replies = await user.send("10.12.2026")
    assert "10.12.2026 — это дата в будущем" in replies[-1].text
    assert RU("check-q-date") in (replies[-1].html or "")
    replies = await user.send("20.11.2026")
    assert "Дата результата: 20.11.2026." in replies[-1].text


async def test_a_negative_result_without_any_qr_gets_no_advice_about_extending_one(
    user: SimulatedUser,
) -> None:
    """Issue 15: the person has just said they have no QR code."""
    verdict = await run_check(user, answers(result="negative"))
    text = verdict.text or ""
    assert "Результат отрицательный" in text
    assert "продлить" not in text and "Если у вас уже есть QR-код" not in text
    assert "По отрицательному результату сертификат по антителам не формируется" in text


async def test_a_date_with_the_month_in_words_is_understood(user: SimulatedUser) -> None:
    """Issue 15: «20 ноября» at the date question (the year left out: the latest such day)."""
    await start_check(user, RU)
    for step in STEP_ORDER[: STEP_ORDER.index("date")]:
        await user.click(RU(f"check-{step}-{GOOD[step]}"))
    replies = await user.send("20 ноября")
    assert "Дата результата: 20.11.2026." in replies[-1].text
