"""End-to-end: a real aiogram Dispatcher polls the fake server, simulated users talk to it."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest

from fake_telegram import FakeTelegramServer

from .conftest import BotUnderTest, build_router, tiny_png


async def test_start_click_and_back(server: FakeTelegramServer, running: BotUnderTest) -> None:
    anna = server.user(user_id=1001, first_name="Анна", language_code="ru")
    replies = await anna.send("/start")
    assert len(replies) == 1
    menu = replies[0]
    assert menu.text == "Здравствуйте, Анна!"
    assert menu.html == "Здравствуйте, <b>Анна</b>!"
    assert menu.entities == [{"type": "bold", "offset": 14, "length": 4}]
    assert menu.buttons == [["FAQ"], ["Сайт лаборатории"]]

    edited = await anna.click("FAQ")
    assert [m.message_id for m in edited] == [menu.message_id]
    assert edited[0].edited
    assert edited[0].text == "FAQ: антитела IgG"
    assert edited[0].buttons == [["« Назад"]]
    assert anna.last_callback_answer is not None
    assert anna.last_callback_answer["text"] == "FAQ открыт"

    back = await anna.click(contains="Назад")
    assert back[0].text == "Главное меню"
    assert anna.last_message is not None and anna.last_message.buttons[0] == ["FAQ"]
    # the server keeps the current state of the chat
    assert [m.message_id for m in server.sent_to(anna.id)] == [menu.message_id]
    assert server.chats[anna.id].messages[0].edit_count == 2


async def test_echo_and_several_messages(server: FakeTelegramServer, running: BotUnderTest) -> None:
    user = server.user(user_id=1002, first_name="Иван")
    replies = await user.send("a < b & c")
    assert [m.text for m in replies] == ["a < b & c"]
    replies = await user.send("/two", expect=2)
    assert [m.text for m in replies] == ["one", "two"]
    assert [m.text for m in user.messages] == ["a < b & c", "one", "two"]


async def test_expect_nothing(server: FakeTelegramServer, running: BotUnderTest) -> None:
    user = server.user(user_id=1003)
    assert await user.send("/silent", expect=0) == []
    with pytest.raises(AssertionError, match="expected no reply"):
        await user.send("hello", expect=0)


async def test_timeout_message_lists_chat(
    server: FakeTelegramServer, running: BotUnderTest
) -> None:
    user = server.user(user_id=1004)
    await user.send("first")
    with pytest.raises(AssertionError, match="first"):
        await user.send("/silent", timeout=0.5)


async def test_inline_query(server: FakeTelegramServer, running: BotUnderTest) -> None:
    user = server.user(user_id=1005)
    results = await user.inline("антитела igm")
    assert [r["id"] for r in results] == ["r0", "r1", "r2"]
    assert results[0]["title"] == "антитела igm #0"
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"
    assert user.last_inline_answer is not None and user.last_inline_answer["cache_time"] == "1"


async def test_too_long_text_is_rejected(server: FakeTelegramServer, running: BotUnderTest) -> None:
    user = server.user(user_id=1006)
    with pytest.raises(AssertionError, match="message is too long"):
        await user.send("/long")
    await server.idle()
    assert isinstance(running.errors[-1], TelegramBadRequest)
    assert "message is too long" in str(running.errors[-1])
    # ...and with check_errors=False the failed request is still a reaction (no 10 s hang)
    assert await user.send("/long", check_errors=False) == []


async def test_malformed_html_is_rejected(
    server: FakeTelegramServer, running: BotUnderTest
) -> None:
    user = server.user(user_id=1007)
    await user.send("/badhtml", check_errors=False)
    await server.idle()
    error = running.errors[-1]
    assert isinstance(error, TelegramBadRequest)
    assert "can't parse entities: Can't find end tag corresponding to start tag b" in str(error)


async def test_callback_data_too_long(server: FakeTelegramServer, running: BotUnderTest) -> None:
    user = server.user(user_id=1008)
    with pytest.raises(AssertionError, match="BUTTON_DATA_INVALID"):
        await user.send("/bigdata")


async def test_photo_bytes_are_stored(server: FakeTelegramServer, running: BotUnderTest) -> None:
    user = server.user(user_id=1009)
    [photo] = await user.send("/photo")
    assert photo.kind == "photo"
    assert photo.photo == tiny_png()
    assert photo.caption == "QR"
    assert photo.caption_entities == [{"type": "italic", "offset": 0, "length": 2}]
    assert photo.raw["photo"][0]["width"] == 2 and photo.raw["photo"][0]["height"] == 3
    request = server.requests_for("sendPhoto")[-1]
    assert list(request.files.values()) == [tiny_png()]


async def test_user_photo_can_be_downloaded(
    server: FakeTelegramServer, running: BotUnderTest
) -> None:
    user = server.user(user_id=1010)
    data = tiny_png(5, 5)
    [reply] = await user.send_photo(data, caption="мой тест")
    assert reply.text == f"got {len(data)} bytes, caption=мой тест"


async def test_group_reply_by_staff(server: FakeTelegramServer, running: BotUnderTest) -> None:
    asker = server.user(user_id=1011, first_name="Пётр")
    staff = server.user(user_id=2001, first_name="Оператор")
    support = next(c for c in server.chats.values() if c.type == "supergroup")
    await asker.send("/ask")
    question = server.sent_to(support.id)[-1]
    assert question.text == "Вопрос от #1011"
    assert support.id < -1_000_000_000_000
    replies = await staff.reply(question, "приходите натощак")
    assert [(m.chat_id, m.text) for m in replies] == [(1011, "Ответ поддержки: приходите натощак")]
    incoming = list(support.incoming.values())[-1]
    assert incoming["reply_to_message"]["message_id"] == question.message_id
    assert incoming["chat"]["type"] == "supergroup"


async def test_long_polling_returns_promptly(
    server: FakeTelegramServer, running: BotUnderTest
) -> None:
    user = server.user(user_id=1012)
    await user.send("warm up")
    await asyncio.sleep(0.3)  # the bot is now parked in a long poll (timeout=5)
    started = time.perf_counter()
    await user.send("ping")
    assert time.perf_counter() - started < 1.0
    polls = server.requests_for("getUpdates")
    assert polls[-1].params["timeout"] == "5"
    assert "callback_query" in (server.allowed_updates or [])


async def test_blocked_user_while_polling(
    server: FakeTelegramServer, running: BotUnderTest
) -> None:
    user = server.user(user_id=1013)
    await user.send("hi")
    user.block()
    await server.idle()
    assert server.dropped_updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"


async def test_concurrent_users_are_isolated(
    server: FakeTelegramServer, running: BotUnderTest
) -> None:
    users = [server.user(user_id=3000 + i, first_name=f"U{i}") for i in range(8)]
    replies = await asyncio.gather(*(u.send(f"msg {u.id}") for u in users))
    for user, reply in zip(users, replies, strict=True):
        assert [m.text for m in reply] == [f"msg {user.id}"]
        assert all(m.chat_id == user.id for m in reply)
    clicks = await asyncio.gather(*(u.send("/start") for u in users))
    assert all(len(c) == 1 for c in clicks)
    await asyncio.gather(*(u.click("FAQ") for u in users))
    assert server.unanswered_callbacks() == []
    seen = []
    server.listeners.append(lambda event: seen.append(event.kind))
    await users[0].send("x")
    assert "sent" in seen


async def test_without_dispatcher_tracking(server: FakeTelegramServer, bot: Bot) -> None:
    """A bot the server can't observe (e.g. another process): settle-window waiting only."""
    dp = Dispatcher(support_chat=0)
    dp.include_router(build_router([]))
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, close_bot_session=False))
    try:
        await server.wait_polling()
        user = server.user(user_id=4001, first_name="Ольга")
        [menu] = await user.send("/start")
        assert menu.buttons[0] == ["FAQ"]
        [edited] = await user.click("FAQ")
        assert edited.text == "FAQ: антитела IgG"
        assert await user.send("/silent", expect=0) == []
        await server.idle()
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(task, 5)
