"""The Госуслуги guide end to end: every step, "I don't see this", back, cancel, the finish."""

from __future__ import annotations

import pytest

from bot.i18n import I18n
from bot.keyboards.guide import GUIDE_STEPS
from fake_telegram import SimulatedUser
from tests.conftest import RunningBot
from tests.test_check import GOOD, fsm, run_check

RU = I18n(strict=True).get("ru")
EN = I18n(strict=True).get("en")

STEP_TEXTS_RU = [
    "Войдите на портал Госуслуг",
    "«Сертификаты и QR-коды»",
    "вкладку «Антитела»",
    "«Сформировать сертификат». Баннер есть, только если у вас нет действующих QR-кодов",
    "всплывающее окно",
]


async def open_guide_after_check(user: SimulatedUser) -> None:
    await run_check(user, GOOD)
    replies = await user.click("🧭 Провести по шагам на Госуслугах", expect=2)
    assert replies[0].html == RU("guide-intro")
    assert (replies[1].text or "").startswith("Шаг 1 из 5.")


async def test_guide_walks_every_step_to_the_end(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await open_guide_after_check(user)
    for step in range(1, GUIDE_STEPS + 1):
        current = user.last_message
        assert current is not None
        assert (current.text or "").startswith(f"Шаг {step} из 5.")
        assert STEP_TEXTS_RU[step - 1] in (current.text or "")
        assert current.buttons == [["Готово ✅"], ["Я этого не вижу"], ["⬅️ Назад", "✖️ Отмена"]]
        replies = await user.click("Готово ✅", expect=1)
    finish = replies[-1].text or ""
    assert "сроком на 6 месяцев с даты получения положительного теста" in finish
    assert "По вашему тесту от 20.11.2026 сертификат действует до 20.05.2027" in finish
    assert "осталось 173 дня" in finish
    assert replies[-1].button_labels == ["💾 Сохранить в боте", "🏠 Меню"]
    save = replies[-1].button("💾 Сохранить в боте")
    assert save["callback_data"] == "menu:cert_new"
    # The certificate flow (another router) reads the test date from here.
    assert await fsm(running_bot, user) == (None, {"test_date": "2026-11-20"})


@pytest.mark.parametrize(
    ("step", "cause"),
    [
        (1, "Учётная запись должна быть подтверждённой"),
        (2, "результат анализа ещё не передан на портал"),
        (3, "лаборатория ещё не передала результат на Госуслуги"),
        (4, "если у вас уже был QR-код после прививки или выздоровления"),
        (5, "обновите страницу"),
    ],
)
async def test_i_dont_see_this_explains_the_usual_cause(
    user: SimulatedUser, step: int, cause: str
) -> None:
    await open_guide_after_check(user)
    for _ in range(step - 1):
        await user.click("Готово ✅", expect=1)
    replies = await user.click("Я этого не вижу", expect=1)
    assert cause in (replies[-1].text or "")
    assert replies[-1].html == RU(f"guide-missing-{step}")
    assert replies[-1].button_labels == ["💬 Спросить сотрудника", "⬅️ Назад", "🏠 Меню"]
    assert replies[-1].button("💬 Спросить сотрудника")["callback_data"] == "menu:support"
    replies = await user.click("⬅️ Назад", expect=1)  # back to the same step
    assert (replies[-1].text or "").startswith(f"Шаг {step} из 5.")


async def test_back_goes_to_the_previous_step_and_to_the_menu(user: SimulatedUser) -> None:
    await open_guide_after_check(user)
    await user.click("Готово ✅", expect=1)
    await user.click("Готово ✅", expect=1)
    replies = await user.click("⬅️ Назад", expect=1)
    assert (replies[-1].text or "").startswith("Шаг 2 из 5.")
    replies = await user.click("⬅️ Назад", expect=1)
    assert (replies[-1].text or "").startswith("Шаг 1 из 5.")
    replies = await user.click("⬅️ Назад", expect=1)
    assert replies[-1].html == RU("menu-title")


async def test_cancel_closes_the_guide(user: SimulatedUser, running_bot: RunningBot) -> None:
    await open_guide_after_check(user)
    await user.click("Готово ✅", expect=1)
    replies = await user.click("✖️ Отмена", expect=1)
    assert replies[-1].text == "Инструкция закрыта."
    assert "✅ Проверить, можно ли получить" in replies[-1].button_labels
    state, _ = await fsm(running_bot, user)
    assert state is None


async def test_guide_without_a_check_in_english(
    english_user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await english_user.send("/guide", expect=2)
    assert (replies[-1].text or "").startswith("Step 1 of 5.")
    for _ in range(GUIDE_STEPS):
        replies = await english_user.click("Done ✅", expect=1)
    finish = replies[-1].text or ""
    assert "valid for 6 months from the date of the positive IgG antibody test" in finish
    assert "For your test of" not in finish  # no test date known
    assert replies[-1].button_labels == ["💾 Save it in the bot", "🏠 Menu"]
    assert await fsm(running_bot, english_user) == (None, {})


async def test_guide_midway_through_a_check_ends_the_check(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await user.send("/check", expect=2)
    await user.click("Антитела IgG", expect=1)
    replies = await user.send("/guide", expect=2)
    assert (replies[-1].text or "").startswith("Шаг 1 из 5.")
    assert await fsm(running_bot, user) == (None, {})


async def test_cancel_on_an_old_guide_message_keeps_the_check_in_progress(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await user.send("/guide")
    guide_message = user.last_message
    await user.send("/check")
    await user.click("✖️ Отмена", message=guide_message)
    replies = await user.click("Антитела IgG")
    assert "Вопрос 2 из 9" in replies[-1].text


async def test_on_the_last_day_the_guide_says_so_as_the_check_and_the_card_do(
    user: SimulatedUser,
) -> None:
    """Issue 15: one wording for the days left, everywhere (not «осталось 0 дней»)."""
    verdict = await run_check(user, {**GOOD, "date": "28.05.2026"})  # valid through today
    assert "сегодня последний день" in (verdict.text or "")
    replies = await user.click("🧭 Провести по шагам на Госуслугах", expect=2)
    for _ in range(GUIDE_STEPS):
        replies = await user.click("Готово ✅", expect=1)
    finish = replies[-1].text or ""
    assert "до 28.11.2026, сегодня последний день" in finish
    assert "0 дней" not in finish


async def test_cancel_typed_while_a_guide_step_is_shown_closes_it(user: SimulatedUser) -> None:
    """Issue 15: not «Сейчас нечего отменять» while the guide's buttons are on the screen (the
    guide keeps no state: /cancel without a conversation closes whatever is shown)."""
    await open_guide_after_check(user)
    replies = await user.send("/cancel")
    assert replies[-1].text == "Хорошо, закрываю. Вот главное меню."
    assert "✅ Проверить, можно ли получить" in replies[-1].button_labels
