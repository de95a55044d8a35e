"""The fake's Bot API behaviour, called through a real aiogram Bot (real response parsing)."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from fake_telegram import FakeTelegramServer, parse_html
from fake_telegram.html import EntityParseError

from .conftest import tiny_png


def keyboard(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(buttons)])


@pytest.fixture
def chat_id(server: FakeTelegramServer) -> int:
    return server.user(user_id=555, first_name="Анна", started=True).id


async def test_get_me_uses_token_id(server: FakeTelegramServer, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123, "antibody_test_bot", True)
    assert server.bot_id == 123


async def test_unknown_method_is_404(server: FakeTelegramServer) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.base_url}/bot1:x/sendTelepathy", json={}) as resp,
    ):
        assert resp.status == 404
        assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_json_bodies_are_accepted(server: FakeTelegramServer, chat_id: int) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{server.base_url}/bot7:x/sendMessage",
            json={
                "chat_id": chat_id,
                "text": "<b>hi</b>",
                "parse_mode": "HTML",
                "reply_markup": markup,
            },
        ) as resp,
    ):
        body = await resp.json()
    assert body["ok"] is True
    assert body["result"]["text"] == "hi"
    assert body["result"]["reply_markup"] == markup
    assert server.bot_id == 7


@pytest.mark.parametrize(
    ("source", "visible"),
    [
        ("<b>x</b>", "x"),
        ("&lt;b&gt; &amp; &quot; &#65;&#x42;", '<b> & " AB'),
        ("<i>a</i><u>b</u><s>c</s><tg-spoiler>d</tg-spoiler>", "abcd"),
        ('<a href="https://example.org/?a=1&amp;b=2">link</a>', "link"),
        ('<pre><code class="language-python">print(1)</code></pre>', "print(1)"),
        ("<blockquote expandable>q</blockquote> a & b", "q a & b"),
    ],
)
def test_html_visible_text(source: str, visible: str) -> None:
    assert parse_html(source)[0] == visible


@pytest.mark.parametrize(
    "source",
    ["a < b", "<b>x", "<b><i>x</b></i>", "</b>", "<div>x</div>", '<span class="x">s</span>', "x<"],
)
def test_html_errors(source: str) -> None:
    with pytest.raises(EntityParseError):
        parse_html(source)


async def test_text_limits_count_visible_text(bot: Bot, chat_id: int) -> None:
    message = await bot.send_message(chat_id, "<b>" + "я" * 4096 + "</b>")
    assert message.text is not None and len(message.text) == 4096
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(chat_id, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(chat_id, "<b> </b>")
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Unsupported start tag"):
        await bot.send_message(chat_id, "a <br> b")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(chat_id, BufferedInputFile(tiny_png(), "p.png"), caption="c" * 1025)


async def test_entities_utf16(bot: Bot, chat_id: int) -> None:
    message = await bot.send_message(chat_id, "😀 <b>жир</b>")
    assert message.entities is not None
    assert (message.entities[0].offset, message.entities[0].length) == (3, 3)


async def test_keyboard_validation(bot: Bot, chat_id: int) -> None:
    ok = InlineKeyboardButton(text="ok", callback_data="d" * 64)
    await bot.send_message(chat_id, "fine", reply_markup=keyboard(ok))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(
            chat_id,
            "x",
            reply_markup=keyboard(InlineKeyboardButton(text="b", callback_data="я" * 33)),
        )
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(chat_id, "x", reply_markup=keyboard(InlineKeyboardButton(text="b")))
    with pytest.raises(TelegramBadRequest, match="exactly one"):
        await bot.send_message(
            chat_id,
            "x",
            reply_markup=keyboard(
                InlineKeyboardButton(text="b", callback_data="x", url="https://example.org")
            ),
        )
    with pytest.raises(TelegramBadRequest, match="non-empty"):
        await bot.send_message(
            chat_id, "x", reply_markup=keyboard(InlineKeyboardButton(text="", callback_data="x"))
        )


async def test_chat_not_found_and_cannot_initiate(server: FakeTelegramServer, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(987654, "hello")
    stranger = server.user(user_id=777)
    with pytest.raises(TelegramForbiddenError, match="can't initiate"):
        await bot.send_message(stranger.id, "hello")


async def test_edits(server: FakeTelegramServer, bot: Bot, chat_id: int) -> None:
    markup = keyboard(InlineKeyboardButton(text="A", callback_data="a"))
    sent = await bot.send_message(chat_id, "one", reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="<b></b>one", chat_id=chat_id, message_id=sent.message_id, reply_markup=markup
        )
    edited = await bot.edit_message_text(text="two", chat_id=chat_id, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.edit_date is not None
    stored = server.chats[chat_id].messages[-1]
    assert (stored.text, stored.edited, stored.reply_markup) == ("two", True, None)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="x", chat_id=chat_id, message_id=9999)
    await bot.edit_message_reply_markup(
        chat_id=chat_id, message_id=sent.message_id, reply_markup=markup
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=sent.message_id, reply_markup=markup
        )
    photo = await bot.send_photo(chat_id, BufferedInputFile(tiny_png(), "p.png"), caption="a")
    await bot.edit_message_caption(chat_id=chat_id, message_id=photo.message_id, caption="b")
    assert server.chats[chat_id].messages[-1].caption == "b"
    with pytest.raises(TelegramBadRequest, match="there is no text"):
        await bot.edit_message_text(text="x", chat_id=chat_id, message_id=photo.message_id)
    assert await bot.delete_message(chat_id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(chat_id, sent.message_id)
    assert [m.message_id for m in server.sent_to(chat_id)] == [photo.message_id]


async def test_copy_forward_action_menu(server: FakeTelegramServer, bot: Bot, chat_id: int) -> None:
    support = server.group(-1001234567890, "Support")
    sent = await bot.send_message(chat_id, "<i>copy me</i>")
    copied = await bot.copy_message(support.id, chat_id, sent.message_id)
    assert server.chats[support.id].find(copied.message_id).text == "copy me"  # type: ignore[union-attr]
    forwarded = await bot.forward_message(support.id, chat_id, sent.message_id)
    assert forwarded.forward_origin is not None
    assert await bot.send_chat_action(chat_id, "typing")
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(support.id, chat_id, 4242)
    info = await bot.get_chat(support.id)
    assert (info.type, info.title) == ("supergroup", "Support")
    assert await bot.set_chat_menu_button(chat_id=chat_id)
    assert server.chats[chat_id].menu_button == {"type": "default"}


async def test_commands_per_scope_and_language(server: FakeTelegramServer, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand(command="start", description="Начать")])
    await bot.set_my_commands(
        [BotCommand(command="help", description="Help")],
        scope=BotCommandScopeAllPrivateChats(),
        language_code="en",
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    en = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="en")
    assert [c.command for c in en] == ["help"]
    assert server.my_commands({"type": "all_private_chats"}, "en")[0]["description"] == "Help"
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start!", description="x")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == []


async def test_retry_after(server: FakeTelegramServer, bot: Bot, chat_id: int) -> None:
    server.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(chat_id, "x")
    assert caught.value.retry_after == 7
    # the announced window is still running: a well-behaved bot would have waited
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(chat_id, "x")
    assert server.stats.sends_during_retry_after == 1


async def test_flood_limit(server: FakeTelegramServer, bot: Bot, chat_id: int) -> None:
    server.flood_limit(per_second=30, per_chat_per_second=1, per_chat_burst=1)
    await bot.send_message(chat_id, "1")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(chat_id, "2")
    assert caught.value.retry_after == 1
    assert server.stats.flood_429 == 1
    assert server.stats.sends_during_retry_after == 0
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(chat_id, "3")
    assert server.stats.sends_during_retry_after == 1


async def test_a_private_chat_takes_a_short_burst(
    server: FakeTelegramServer, bot: Bot, chat_id: int
) -> None:
    server.flood_limit(per_second=30, per_chat_per_second=1, per_chat_burst=3)
    for text in ("1", "2", "3"):
        await bot.send_message(chat_id, text)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(chat_id, "4")
    assert server.stats.flood_429 == 1


async def test_other_faults(server: FakeTelegramServer, bot: Bot, chat_id: int) -> None:
    server.fail_next("sendMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.send_message(chat_id, "x")
    await bot.send_message(chat_id, "x")
    server.fail_next(None, status=404)
    with pytest.raises(TelegramNotFound):
        await bot.get_me()


async def test_blocked_user(server: FakeTelegramServer, bot: Bot, chat_id: int) -> None:
    server.block_user(chat_id)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(chat_id, "x")
    kicked = server.updates[-1]["my_chat_member"]
    assert kicked["new_chat_member"]["status"] == "kicked"
    server.unblock_user(chat_id)
    await bot.send_message(chat_id, "x")


async def test_get_updates_long_polling_and_offset(server: FakeTelegramServer, bot: Bot) -> None:
    user = server.user(user_id=42)
    started = time.perf_counter()
    assert await bot(GetUpdates(timeout=1)) == []
    assert time.perf_counter() - started >= 0.9

    poll = asyncio.create_task(bot(GetUpdates(timeout=10, allowed_updates=["message"])))
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    update_id, _ = server.new_incoming_message(user.data, user.chat, text="hi")
    updates = await asyncio.wait_for(poll, 2)
    assert time.perf_counter() - started < 0.5
    assert [u.update_id for u in updates] == [update_id]
    assert updates[0].message is not None and updates[0].message.text == "hi"
    assert server.allowed_updates == ["message"]
    # not confirmed yet → delivered again; confirmed by offset → gone
    assert [u.update_id for u in await bot(GetUpdates(timeout=0))] == [update_id]
    assert await bot(GetUpdates(offset=update_id + 1, timeout=0)) == []
    assert server.updates == []
    # a callback query is not in allowed_updates → dropped like Telegram would
    server.enqueue_update({"callback_query": {"id": "1", "from": user.data, "chat_instance": "1"}})
    assert await bot(GetUpdates(timeout=0)) == []
    assert "callback_query" in server.dropped_updates[-1]


async def test_webhook_recorded(server: FakeTelegramServer, bot: Bot) -> None:
    await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert info.url == "https://example.org/hook"
    assert server.webhook is not None and server.webhook["secret_token"] == "s3cret"
    await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.log_out()
    assert await bot.close()
    assert server.closed_sessions == ["logOut", "close"]


async def test_answer_inline_query_limits(server: FakeTelegramServer, bot: Bot) -> None:
    from aiogram.types import InlineQueryResultArticle, InputTextMessageContent

    user = server.user(user_id=43)

    def article(result_id: str) -> InlineQueryResultArticle:
        return InlineQueryResultArticle(
            id=result_id, title="t", input_message_content=InputTextMessageContent(message_text="m")
        )

    _, query = server.new_inline_query(user.data, "q")
    with pytest.raises(TelegramBadRequest, match="RESULTS_TOO_MUCH"):
        await bot.answer_inline_query(query.id, [article(str(i)) for i in range(51)])
    with pytest.raises(TelegramBadRequest, match="RESULT_ID_DUPLICATE"):
        await bot.answer_inline_query(query.id, [article("a"), article("a")])
    with pytest.raises(TelegramBadRequest, match="RESULT_ID_INVALID"):
        await bot.answer_inline_query(query.id, [article("x" * 65)])
    assert await bot.answer_inline_query(query.id, [article("ok")])
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_inline_query(query.id, [article("ok")])
