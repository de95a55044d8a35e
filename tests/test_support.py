"""Issue 6 end to end: roles, "ask a human" tickets between a citizen and the support chat, staff
tools (/tickets, /unanswered, /stats) and the paced /broadcast."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

import bot.support_desk as support_desk
from bot.clock import FrozenClock
from bot.text_limits import split_plain, utf16_len
from fake_telegram import BotMessage, FakeChat, FakeTelegramServer, SimulatedUser
from tests.conftest import ADMIN_ID, SUPPORT_CHAT_ID, RunningBot, make_settings, run_bot

STAFF_ID = 2001
STRANGER_ID = 3001
NOT_ALLOWED = "Sorry, this is not available."
MENU_SUPPORT = "💬 Спросить сотрудника"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


async def add_staff(running_bot: RunningBot) -> tuple[SimulatedUser, SimulatedUser, FakeChat]:
    """(admin, staff member, support chat): the admin adds the staff member by id."""
    server = running_bot.server
    group = server.group(SUPPORT_CHAT_ID, "Lab support")
    admin = server.user(ADMIN_ID, "Admin", language_code="en")
    staff = server.user(STAFF_ID, "Olga", language_code="en")
    replies = await admin.send(f"/staff add {STAFF_ID}")
    assert replies[-1].text == f"User {STAFF_ID} is now staff."
    return admin, staff, group


def support_posts(running_bot: RunningBot) -> list[BotMessage]:
    return running_bot.server.sent_to(SUPPORT_CHAT_ID)


async def ask(user: SimulatedUser, text: str) -> list[BotMessage]:
    prompt = await user.send("/support")
    assert "Напишите ваш вопрос" in prompt[-1].text
    return await user.send(text)


async def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


# ---------------------------------------------------------------------------- round trip
async def test_ticket_round_trip(
    running_bot: RunningBot, user: SimulatedUser, clock: FrozenClock
) -> None:
    _, staff, group = await add_staff(running_bot)
    repo = running_bot.repo
    await user.send("/start")
    await repo.users.set_last_interaction(user.id, "check:not_eligible:has_vaccination_qr")

    replies = await ask(user, "Когда придёт QR-код?")
    ticket = await repo.tickets.open_for_user(user.id)
    assert ticket is not None
    assert f"№{ticket.id}" in replies[-1].text and "отправлено" in replies[-1].text

    post = support_posts(running_bot)[-1]
    assert f"Обращение №{ticket.id}" in post.text
    assert "язык: ru" in post.text
    assert "проверка возможности → нельзя → есть QR о вакцинации" in post.text
    assert post.text.endswith("Когда придёт QR-код?")
    assert "✅ Закрыть" in post.button_labels

    clock.advance(timedelta(minutes=5))
    replies = await staff.reply(post, "Обычно за 3 дня. <i>Проверьте</i> & ждите")
    answer = user.last_message
    assert answer is not None
    assert answer.text.startswith(f"💬 Ответ лаборатории (обращение №{ticket.id}):")
    assert answer.text.endswith("Обычно за 3 дня. <i>Проверьте</i> & ждите")
    assert "↩️ Ответить" in answer.button_labels
    assert any(m.text == f"✓ Sent to the citizen (request #{ticket.id})." for m in replies)

    await user.click("↩️ Ответить")
    replies = await user.send("Спасибо! А если не придёт?")
    assert f"Добавлено в обращение №{ticket.id}" in replies[-1].text
    followup = support_posts(running_bot)[-1]
    assert f"Обращение №{ticket.id}" in followup.text and "пишет гражданин" in followup.text
    assert followup.text.endswith("Спасибо! А если не придёт?")

    # A reply to the citizen's follow-up routes to the same ticket.
    await staff.reply(followup, "Тогда напишите нам снова.")
    assert user.last_message is not None
    assert user.last_message.text.endswith("Тогда напишите нам снова.")

    replies = await user.send("/support")
    assert f"№{ticket.id}" in replies[-1].text and "есть ответ" in replies[-1].text

    replies = await staff.send(f"/close {ticket.id}", chat=group)
    assert replies[-1].text == f"Request #{ticket.id} closed by Olga."
    assert user.last_message is not None
    assert user.last_message.text.startswith(f"Обращение №{ticket.id} закрыто")

    closed = await repo.tickets.get(ticket.id)
    assert closed is not None and not closed.is_open
    assert closed.first_answer_at is not None
    stats = await repo.tickets.stats()
    assert stats.median_first_answer == timedelta(minutes=5)

    # A closed ticket takes no more answers; the citizen's old "Reply" button says it is closed.
    replies = await staff.reply(post, "ещё одно")
    assert any("is closed; nothing was sent" in m.text for m in replies)
    replies = await user.click("↩️ Ответить")
    assert "уже закрыто" in replies[-1].text


async def test_close_button_and_reply_command(running_bot: RunningBot, user: SimulatedUser) -> None:
    _, staff, group = await add_staff(running_bot)
    await ask(user, "Вопрос")
    ticket = await running_bot.repo.tickets.open_for_user(user.id)
    assert ticket is not None

    replies = await staff.send(f"/reply {ticket.id} Ответ из лички", expect=1)
    assert replies[-1].text == f"✓ Sent to the citizen (request #{ticket.id})."
    assert user.last_message is not None and user.last_message.text.endswith("Ответ из лички")

    await staff.click("✅ Закрыть", chat=group)
    assert staff.last_callback_answer is not None
    assert support_posts(running_bot)[-1].text == f"Request #{ticket.id} closed by Olga."
    assert user.last_message is not None and "закрыто" in user.last_message.text
    await staff.click("✅ Закрыть", chat=group)
    assert support_posts(running_bot)[-1].text == f"Request #{ticket.id} is already closed."


# ---------------------------------------------------------------------------- content intact
async def test_citizen_content_arrives_intact(running_bot: RunningBot, user: SimulatedUser) -> None:
    await add_staff(running_bot)
    tricky = "<b>Жирный?</b> & <i>нет</i> 😀👍🏽 a<b"
    await ask(user, tricky)
    ticket = await running_bot.repo.tickets.open_for_user(user.id)
    assert ticket is not None
    assert support_posts(running_bot)[-1].text.endswith(tricky)

    long_text = ("Очень длинный вопрос <про> & анализ. " * 200)[:4096]
    assert len(long_text) == 4096
    await user.send("/support")
    await user.click("✍️ Дополнить")
    await user.send(long_text)
    header, body = support_posts(running_bot)[-2:]
    assert f"Обращение №{ticket.id}" in header.text
    assert body.text == long_text

    await user.send("/support")
    await user.click("✍️ Дополнить")
    await user.send_photo(PNG, caption="Мой <результат> & 🧪")
    photo = support_posts(running_bot)[-1]
    assert photo.kind == "photo" and photo.photo == PNG
    assert f"Обращение №{ticket.id}" in (photo.caption or "")
    assert (photo.caption or "").endswith("Мой <результат> & 🧪")

    long_caption = "Подпись " * 127  # 1016 chars: the header cannot share the caption
    await user.send("/support")
    await user.click("✍️ Дополнить")
    await user.send_document(b"%PDF-1.4 result", "result.pdf", caption=long_caption)
    header, document = support_posts(running_bot)[-2:]
    assert f"Обращение №{ticket.id}" in header.text
    assert document.kind == "document" and document.document == b"%PDF-1.4 result"
    # the masked caption is sent (not the copy's own): Telegram trims its trailing space
    assert document.caption == long_caption.rstrip()

    # Every post routes back to the ticket.
    messages = await running_bot.repo.tickets.messages(ticket.id)
    routed = {m.support_message_id for m in messages}
    assert {header.message_id, document.message_id, photo.message_id, body.message_id} <= routed


async def test_staff_media_answer_and_long_answer(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    _, staff, group = await add_staff(running_bot)
    await ask(user, "Что с результатом?")
    post = support_posts(running_bot)[-1]
    running_bot.server.new_incoming_message(
        staff.data,
        group,
        photo=PNG,
        caption="Вот образец <бланка>",
        reply_to=post,
    )
    await running_bot.server.idle()
    answer = user.last_message
    assert answer is not None and answer.kind == "photo" and answer.photo == PNG
    assert (answer.caption or "").startswith("💬 Ответ лаборатории")
    assert (answer.caption or "").endswith("Вот образец <бланка>")

    long_answer = "Подробный ответ. " * 300
    await staff.reply(post, long_answer[:4096])
    texts = [m.text for m in user.messages[-3:]]
    assert any(t and t.startswith("💬 Ответ лаборатории") for t in texts)
    assert user.messages[-1].text == long_answer[:4096].strip()


def test_split_plain_respects_utf16_and_words() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units
    pieces = split_plain(text, 4096)
    assert "".join(pieces) == text
    assert all(utf16_len(p) <= 4096 for p in pieces)
    words = ("слово " * 1000).strip()
    pieces = split_plain(words, 4096)
    assert "".join(pieces) == words and all(len(p) <= 4096 for p in pieces)
    assert pieces[0].endswith(" ")
    assert split_plain("") == [""]


# ---------------------------------------------------------------------------- support chat noise
async def test_support_chat_ignores_what_is_not_a_reply_to_a_ticket(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    _, staff, group = await add_staff(running_bot)
    await staff.send("Коллеги, кто сегодня дежурит?", chat=group, expect=0)
    await ask(user, "Вопрос")
    post = support_posts(running_bot)[-1]
    replies = await staff.reply(post, "Ответ")
    confirmation = next(m for m in replies if m.chat_id == SUPPORT_CHAT_ID)
    # A reply to a bot message that is not a ticket post (the confirmation) is ignored too.
    await staff.reply(confirmation, "спасибо, бот", expect=0)
    # Someone in the group who is not staff cannot answer tickets.
    outsider = running_bot.server.user(STRANGER_ID, "Stranger", language_code="en")
    replies = await outsider.reply(post, "я тоже отвечу", watch={SUPPORT_CHAT_ID, user.id})
    assert [m.text for m in replies] == [NOT_ALLOWED]


async def test_blocked_citizen_marks_ticket_and_tells_staff(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    _, staff, _ = await add_staff(running_bot)
    await ask(user, "Вопрос")
    ticket = await running_bot.repo.tickets.open_for_user(user.id)
    assert ticket is not None
    post = support_posts(running_bot)[-1]
    user.block(notify=False)
    replies = await staff.reply(post, "Ответ")
    assert any("blocked the bot" in m.text for m in replies)
    marked = await running_bot.repo.tickets.get(ticket.id)
    assert marked is not None and marked.user_blocked
    citizen = await running_bot.repo.users.get(user.id)
    assert citizen is not None and citizen.is_blocked
    replies = await staff.send("/tickets")
    assert "blocked the bot" in replies[-1].text


# ---------------------------------------------------------------------------- limits
async def test_three_tickets_per_hour(
    running_bot: RunningBot, user: SimulatedUser, clock: FrozenClock
) -> None:
    await add_staff(running_bot)
    repo = running_bot.repo
    for _ in range(3):
        await ask(user, "Вопрос")
        ticket = await repo.tickets.open_for_user(user.id)
        assert ticket is not None
        await repo.tickets.close(ticket.id, clock.now())
    replies = await user.send("/support")
    assert "уже отправили 3 обращения" in replies[-1].text
    clock.advance(timedelta(hours=1, seconds=1))
    replies = await user.send("/support")
    assert "Напишите ваш вопрос" in replies[-1].text


async def test_message_cap_per_ticket(
    running_bot: RunningBot, user: SimulatedUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_staff(running_bot)
    monkeypatch.setattr(support_desk, "MAX_CITIZEN_MESSAGES_PER_TICKET", 2)
    await ask(user, "Первое")
    await user.send("/support")
    await user.click("✍️ Дополнить")
    await user.send("Второе")
    before = len(support_posts(running_bot))
    await user.send("/support")
    replies = await user.click("✍️ Дополнить")
    assert "уже много сообщений" in replies[-1].text
    replies = await user.send("Третье")  # not in the ticket: an ordinary message now
    assert len(support_posts(running_bot)) == before


async def test_wrong_content_in_question_step(running_bot: RunningBot, user: SimulatedUser) -> None:
    await add_staff(running_bot)
    await user.send("/support")
    running_bot.server.new_incoming_message(
        user.data,
        user.chat,
        extra={
            "sticker": {
                "file_id": "S1",
                "file_unique_id": "S1",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
    )
    await running_bot.server.idle()
    assert user.last_message is not None and "текст, фото или документ" in user.last_message.text
    replies = await user.send("/cancel")
    assert replies[-1].text == "Действие отменено."
    assert support_posts(running_bot) == []


# ---------------------------------------------------------------------------- roles
STAFF_COMMANDS = [
    "/staff add 5",
    "/staff list",
    "/tickets",
    "/unanswered",
    "/stats",
    "/broadcast hello",
    "/reply 1 hi",
    "/close 1",
]


async def test_stranger_is_not_allowed_anything(running_bot: RunningBot) -> None:
    _, _, group = await add_staff(running_bot)
    stranger = running_bot.server.user(STRANGER_ID, "Stranger", language_code="en")
    for command in STAFF_COMMANDS:
        replies = await stranger.send(command)
        assert [m.text for m in replies] == [NOT_ALLOWED], command
        replies = await stranger.send(command, chat=group)
        assert [m.text for m in replies] == [NOT_ALLOWED], command
    assert not await running_bot.repo.staff.is_staff(5)


async def test_staff_is_not_admin(running_bot: RunningBot) -> None:
    _, staff, group = await add_staff(running_bot)
    for command in ("/staff add 5", "/staff list", "/broadcast hello"):
        replies = await staff.send(command, chat=group)
        assert [m.text for m in replies] == [NOT_ALLOWED], command
    replies = await staff.send("/tickets")
    assert replies[-1].text == "No open requests. 🎉"


async def test_staff_management(running_bot: RunningBot) -> None:
    admin, _, group = await add_staff(running_bot)
    server = running_bot.server
    replies = await admin.send(f"/staff add {STAFF_ID}", chat=group)
    assert replies[-1].text == f"User {STAFF_ID} is already staff."
    replies = await admin.send("/staff list")
    assert f"{STAFF_ID} — added 28.11.2026" in replies[-1].text and "Admins" in replies[-1].text
    replies = await admin.send("/staff add abc")
    assert "is not a Telegram user id" in replies[-1].text
    replies = await admin.send(f"/staff remove {ADMIN_ID}")
    assert "is an admin" in replies[-1].text
    replies = await admin.send(f"/staff remove {STAFF_ID}")
    assert replies[-1].text == f"User {STAFF_ID} is no longer staff."
    replies = await admin.send("/staff")
    assert "/staff add" in replies[-1].text

    # /staff add as a reply to a forwarded message.
    origin = {
        "type": "user",
        "date": 1,
        "sender_user": {"id": 4242, "is_bot": False, "first_name": "New"},
    }
    update_id, forwarded = server.new_incoming_message(
        admin.data, admin.chat, text="привет", extra={"forward_origin": origin}
    )
    await server.wait_for_reaction(update_id, chats={admin.id})
    update_id, _ = server.new_incoming_message(
        admin.data, admin.chat, text="/staff add", reply_to=forwarded
    )
    await server.wait_for_reaction(update_id, chats={admin.id})
    assert admin.last_message is not None
    assert admin.last_message.text == "User 4242 is now staff."
    assert await running_bot.repo.staff.is_staff(4242)

    hidden = {"type": "hidden_user", "date": 1, "sender_user_name": "Secret"}
    update_id, forwarded = server.new_incoming_message(
        admin.data, admin.chat, text="hi", extra={"forward_origin": hidden}
    )
    await server.wait_for_reaction(update_id, chats={admin.id})
    update_id, _ = server.new_incoming_message(
        admin.data, admin.chat, text="/staff add", reply_to=forwarded
    )
    await server.wait_for_reaction(update_id, chats={admin.id})
    assert admin.last_message is not None
    assert "hides their account" in admin.last_message.text


# ---------------------------------------------------------------------------- staff tools
async def test_stats_and_unanswered_reflect_activity(
    running_bot: RunningBot, user: SimulatedUser, clock: FrozenClock
) -> None:
    _, staff, group = await add_staff(running_bot)
    repo = running_bot.repo
    now = clock.now()
    await user.send("/start")
    await repo.checks.add(user.id, "not_eligible", ["has_vaccination_qr", "not_igg"], now)
    await repo.checks.add(user.id, "eligible", [], now)
    for text in ("Где мой QR?", "где мой qr", "ГДЕ МОЙ QR??"):
        await repo.questions.record("ru", text, "где мой qr", now)
    await repo.questions.record("en", "<b>bold</b> & co", "bold co", now)

    await ask(user, "Вопрос")
    clock.advance(timedelta(minutes=7))
    await staff.reply(support_posts(running_bot)[-1], "Ответ")

    replies = await staff.send("/stats", chat=group)
    picture = replies[-1]
    assert picture.kind == "photo"  # the numbers as the picture's caption (issue 15)
    text = picture.caption or ""
    image = Image.open(io.BytesIO(picture.photo or b""))
    assert image.format == "PNG" and image.size[0] == 1000 and 800 < image.size[1] < 1600
    assert len(picture.photo or b"") < 200_000
    assert "Users: 1 (active 1, blocked the bot 0)" in text
    assert "Checks: 2" in text
    assert "• not eligible: 1" in text and "• eligible: 1" in text
    assert "• has a vaccination QR: 1" in text and "• not an IgG test: 1" in text
    assert "Certificates recorded: 0" in text
    assert "sent 0" in text and "failed 0" in text
    assert "Requests: open 1, closed 0, answered 1" in text
    assert "Median time to the first answer: 7 min" in text
    assert "Unanswered FAQ questions: 4" in text

    replies = await staff.send("/unanswered")
    text = replies[-1].text
    assert text.index("3× ГДЕ МОЙ QR??") < text.index("1× <b>bold</b> & co (en)")

    replies = await staff.send("/tickets", chat=group)
    assert "Open requests: 1" in replies[-1].text
    assert "waiting 7 min · ru · answered" in replies[-1].text


async def test_long_lists_fit_one_message(running_bot: RunningBot, clock: FrozenClock) -> None:
    _, staff, _ = await add_staff(running_bot)
    repo = running_bot.repo
    now = clock.now()
    for i in range(150):
        await repo.questions.record("ru", f"вопрос номер {i} " + "<длинный> & " * 20, f"q{i}", now)
    for i in range(300):
        await repo.users.touch(70_000 + i, now)
        await repo.tickets.open(70_000 + i, "ru", now)
    replies = await staff.send("/unanswered")
    assert len(replies[-1].text) <= 4096 and "…and " in replies[-1].text
    replies = await staff.send("/tickets")
    assert len(replies[-1].text) <= 4096
    assert "Open requests: 300" in replies[-1].text and "…and " in replies[-1].text


# ---------------------------------------------------------------------------- broadcast
async def test_broadcast_is_paced_and_counts_blocked(
    running_bot: RunningBot, clock: FrozenClock
) -> None:
    server = running_bot.server
    admin = server.user(ADMIN_ID, "Admin", language_code="en")
    repo = running_bot.repo
    ids = [50_000 + i for i in range(300)]
    for uid in ids:
        server.user(uid, f"U{uid}", started=True)
        await repo.users.touch(uid, clock.now())
    server.block_user(ids[5], notify=False)
    server.flood_limit(per_second=30)

    text = "Лаборатория работает 1 мая <b>до 14:00</b> & 🎉"
    replies = await admin.send(f"/broadcast {text}")
    assert "300" in replies[-1].text and replies[-1].text.endswith(text)
    await admin.click("📣 Send", timeout=90)  # the handler runs the whole paced broadcast

    def finished() -> bool:
        last = admin.last_message
        return last is not None and last.text is not None and "finished" in last.text

    await wait_for(finished)
    assert admin.last_message is not None
    assert admin.last_message.text == (
        "📣 Broadcast finished: delivered 299 of 300; blocked the bot: 1; failed: 0."
    )
    for uid in ids:
        got = [m.text for m in server.sent_to(uid)]
        assert got == ([] if uid == ids[5] else [text]), uid
    assert server.stats.sends_during_retry_after == 0
    assert server.stats.flood_429 == 0
    blocked = await repo.users.get(ids[5])
    assert blocked is not None and blocked.is_blocked
    assert await repo.users.count(active_only=True) == 299
    # The progress message was edited along the way.
    assert any(m.edited and "Broadcast:" in (m.text or "") for m in admin.messages)


async def test_broadcast_cancel_and_stale_confirm(
    running_bot: RunningBot, clock: FrozenClock
) -> None:
    admin = running_bot.server.user(ADMIN_ID, "Admin", language_code="en")
    await running_bot.repo.users.touch(ADMIN_ID, clock.now())
    first = (await admin.send("/broadcast first"))[-1]
    await admin.send("/broadcast second")
    await admin.click("📣 Send", message=first)  # the older preview: out of date
    assert admin.last_callback_answer is not None
    assert "out of date" in str(admin.last_callback_answer.get("text"))
    await admin.click("✖️ Cancel")
    assert admin.last_callback_answer is not None
    assert admin.last_callback_answer.get("text") == "Broadcast cancelled."
    assert admin.messages[-1].buttons == []
    assert running_bot.server.sent_to(ADMIN_ID)[-1].text.endswith("second")
    replies = await admin.send("/broadcast")
    assert replies[-1].text.startswith("Usage: /broadcast")


async def test_menu_button_opens_support(running_bot: RunningBot, user: SimulatedUser) -> None:
    await add_staff(running_bot)
    await user.send("/start")
    replies = await user.click(MENU_SUPPORT)
    assert "Напишите ваш вопрос" in replies[-1].text
    replies = await user.send("Вопрос из меню")
    assert "отправлено" in replies[-1].text
    replies = await user.click(MENU_SUPPORT, message=user.messages[0])
    assert "открыто" in replies[-1].text and "ждёт ответа" in replies[-1].text


async def test_support_unavailable_without_support_chat(
    tmp_path: Path, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    settings = make_settings(tmp_path, support_chat_id=None)
    async with run_bot(settings, fake_server, clock) as running:
        citizen = running.server.user(1001, "Анна")
        replies = await citizen.send("/support")
        assert "связаться с сотрудником через бота нельзя" in replies[-1].text


async def test_without_a_support_group_the_labs_contacts_are_given(
    tmp_path: Path, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    settings = make_settings(
        tmp_path, support_chat_id=None, lab_contacts="+7 (8412) 55-55-55, пн–пт 8:00–18:00 <каб. 3>"
    )
    async with run_bot(settings, fake_server, clock):
        citizen = fake_server.user(4242, "Ира")
        replies = await citizen.send("/support")
    assert replies[-1].text.endswith("+7 (8412) 55-55-55, пн–пт 8:00–18:00 <каб. 3>")


# ---------------------------------------------------------------------------- issue 12, point 1
async def test_a_ticket_number_freed_by_forget_never_reaches_another_person(
    running_bot: RunningBot,
) -> None:
    """Alice's request is deleted with /forget; Bob's new request gets a new number, so staff
    answering Alice's old post (by reply, /reply N or its close button) reach nobody."""
    _, staff, group = await add_staff(running_bot)
    server = running_bot.server
    alice = server.user(5101, "Alice")
    bob = server.user(5102, "Bob")
    await alice.send("/start")
    await ask(alice, "Мой анализ IgG положительный, когда придёт код?")
    alice_ticket = await running_bot.repo.tickets.open_for_user(alice.id)
    assert alice_ticket is not None
    alice_post = support_posts(running_bot)[-1]
    await alice.send("/forget")
    await alice.click("🗑 Да, удалить")
    assert await running_bot.repo.tickets.get(alice_ticket.id) is None

    await bob.send("/start")
    await ask(bob, "Вопрос Бориса")
    bob_ticket = await running_bot.repo.tickets.open_for_user(bob.id)
    assert bob_ticket is not None and bob_ticket.id != alice_ticket.id
    bob_seen = len(server.sent_to(bob.id))

    replies = await staff.reply(alice_post, "Ответ для Алисы")
    assert [m.text for m in replies] == [
        "This request no longer exists (its author deleted their data). Nothing was sent."
    ]
    replies = await staff.send(f"/reply {alice_ticket.id} Ответ для Алисы", expect=1)
    assert replies[-1].text == f"Request #{alice_ticket.id} not found."
    await staff.click("✅ Закрыть", chat=group, message=alice_post)
    assert len(server.sent_to(bob.id)) == bob_seen  # Bob got none of it
    still = await running_bot.repo.tickets.get(bob_ticket.id)
    assert still is not None and still.is_open


async def test_close_as_a_reply_outside_the_support_chat_closes_nothing(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    """The same message id in a private chat is another message: it names no ticket."""
    _, staff, _group = await add_staff(running_bot)
    await ask(user, "Вопрос")
    ticket = await running_bot.repo.tickets.open_for_user(user.id)
    assert ticket is not None
    post = support_posts(running_bot)[-1]
    # /close sent in the private chat, as a reply carrying the post's message id
    replies = await staff.send("/close", reply_to=post, expect=1)
    assert "/close" in replies[-1].text  # the usage, nothing closed
    still = await running_bot.repo.tickets.get(ticket.id)
    assert still is not None and still.is_open


# ---------------------------------------------------------------------------- issue 12, point 2
@pytest.mark.parametrize(
    "snils", ["112-233-445 95", "112.233.445.95", "112/233/445/95", "１１２ ２３３ ４４５ ９５"]
)
async def test_a_snils_typed_into_a_request_is_masked_in_the_support_post(
    running_bot: RunningBot, user: SimulatedUser, snils: str
) -> None:
    await add_staff(running_bot)
    replies = await ask(user, f"Мой СНИЛС {snils}, телефон 8 912 345-67-89, перезвоните")
    assert "СНИЛС в вашем сообщении мы скрыли" in replies[-1].text
    post = support_posts(running_bot)[-1]
    assert "[snils]" in post.text and "445" not in post.text
    assert "8 912 345-67-89" in post.text  # the phone stays: people leave it to be called back


async def test_a_request_without_a_snils_says_nothing_about_it(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    await add_staff(running_bot)
    replies = await ask(user, "Когда будет результат? Тел 8 912 345-67-89")
    assert "СНИЛС" not in replies[-1].text
    assert support_posts(running_bot)[-1].text.endswith("Тел 8 912 345-67-89")


# ---------------------------------------------------------------------------- crash safety
async def test_a_request_cut_off_mid_post_is_posted_at_the_next_start(
    tmp_path: Path,
    fake_server: FakeTelegramServer,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 12, point 4: the handler is cut off (SIGTERM cancels it; kill -9 stops it) after the
    request was accepted and before it reached the support chat. Nothing is half-made: the next
    start posts it, the citizen gets the confirmation, and a staff reply reaches them."""
    settings = make_settings(tmp_path)
    real_post = support_desk.post_pending

    async def cut_off(*args: object, **kwargs: object) -> list[int]:
        raise asyncio.CancelledError  # what a stop does to the handler in flight

    async with run_bot(settings, fake_server, clock) as running:
        _, staff, _ = await add_staff(running)
        user = fake_server.user(1001, "Анна", language_code="ru")
        monkeypatch.setattr(support_desk, "post_pending", cut_off)
        await user.send("/support")
        await user.send("Где мой результат? СНИЛС 112-233-445 95", expect=0)
        ticket = await running.repo.tickets.open_for_user(user.id)
        assert ticket is not None  # accepted...
        assert not support_posts(running)  # ...not posted
        assert len(await running.repo.tickets.pending_posts()) == 1
    monkeypatch.setattr(support_desk, "post_pending", real_post)

    async with run_bot(settings, fake_server, clock) as running:
        await wait_for(
            lambda: (
                bool(support_posts(running))
                and user.last_message is not None
                and "отправлено" in (user.last_message.text or "")
            )
        )
        post = support_posts(running)[-1]
        assert f"Обращение №{ticket.id}" in post.text
        assert "Где мой результат?" in post.text and "445" not in post.text
        confirmation = user.last_message
        assert confirmation is not None and f"№{ticket.id}" in confirmation.text
        assert "СНИЛС в вашем сообщении мы скрыли" in confirmation.text
        assert await running.repo.tickets.pending_posts() == []  # the text is not kept
        await staff.reply(post, "Результат готов.", watch={user.id})
        assert user.last_message is not None
        assert user.last_message.text.endswith("Результат готов.")


async def test_a_crowd_writing_to_support_at_once_is_posted_within_the_groups_limit(
    tmp_path: Path, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    """Issue 14: a group takes ~20 messages a minute (here 240 a minute, to keep the test
    short). Twenty-five people write at once: every request is posted and confirmed, with no
    429 from Telegram and nothing sent while one was in force."""
    settings = make_settings(tmp_path, support_posts_per_minute=240)
    fake_server.flood_limit(per_second=30, per_chat_per_second=1, per_group_per_minute=240)
    async with run_bot(settings, fake_server, clock) as running:
        await add_staff(running)
        people = [fake_server.user(60_000 + i, f"U{i}", language_code="ru") for i in range(25)]
        for person in people:
            await person.send("/support")

        async def write(person: SimulatedUser) -> str:
            replies = await person.send(f"Вопрос от {person.id}", timeout=60)
            return replies[-1].text or ""

        answers = await asyncio.gather(*(write(p) for p in people))
    assert all("отправлено" in text for text in answers), answers
    posts = [m.text or "" for m in fake_server.sent_to(SUPPORT_CHAT_ID)]
    assert all(any(f"Вопрос от {p.id}" in t for t in posts) for p in people)
    assert fake_server.stats.flood_429 == 0
    assert fake_server.stats.sends_during_retry_after == 0
