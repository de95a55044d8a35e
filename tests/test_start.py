"""The first minute of a citizen: /start, the menu, the language, /cancel, /help."""

from __future__ import annotations

from fake_telegram import SimulatedUser
from tests.conftest import RunningBot


async def test_start_greets_by_name_in_russian_with_the_menu(user: SimulatedUser) -> None:
    replies = await user.send("/start")
    assert "Здравствуйте, Анна" in replies[-1].text
    assert "❓ Частые вопросы" in replies[-1].button_labels


async def test_english_telegram_language_gets_english(english_user: SimulatedUser) -> None:
    replies = await english_user.send("/start")
    assert "Hello, John" in replies[-1].text
    assert "❓ Frequent questions" in replies[-1].button_labels


async def test_language_switch_is_remembered(user: SimulatedUser, running_bot: RunningBot) -> None:
    await user.send("/start")
    await user.click("🌐 Language / Язык")
    replies = await user.click("🇬🇧 English")
    assert replies[-1].text == "Done: I'll speak English now."
    replies = await user.send("/help")
    assert "What I can do" in replies[-1].text
    stored = await running_bot.repo.users.get(user.id)
    assert stored is not None and stored.language == "en"


async def test_name_with_html_is_escaped(running_bot: RunningBot) -> None:
    tricky = running_bot.server.user(1003, "<b>Bob & Co", language_code="en")
    replies = await tricky.send("/start")
    assert "Hello, <b>Bob & Co!" in replies[-1].text


async def test_cancel_without_a_conversation(user: SimulatedUser) -> None:
    replies = await user.send("/cancel")
    assert replies[-1].text == "Хорошо, закрываю. Вот главное меню."


async def test_commands_are_registered_per_language(running_bot: RunningBot) -> None:
    requests = running_bot.server.requests_for("setMyCommands")
    languages = {request.params.get("language_code") for request in requests}
    assert {"ru", "en"} <= languages


async def test_user_who_blocks_the_bot_is_marked(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await user.send("/start")
    user.block()
    await running_bot.server.idle()
    stored = await running_bot.repo.users.get(user.id)
    assert stored is not None and stored.is_blocked


async def test_commands_in_capitals_work_and_an_unknown_command_says_so(
    user: SimulatedUser,
) -> None:
    """Issue 15: /CHECK is /check; /foo is an unknown command, not "I understand text"."""
    replies = await user.send("/CHECK", expect=2)
    assert "Вопрос 1 из 9" in replies[-1].text
    replies = await user.send("/foo")
    assert replies[-1].text.startswith("Не знаю команды /foo.") and "/help" in replies[-1].text
    # the check goes on where it was
    replies = await user.click("Антитела IgG")
    assert "Вопрос 2 из 9" in replies[-1].text
    replies = await user.send("/Mycert")
    assert "сертификат" in replies[-1].text.lower()
