"""Staff teach the FAQ end to end: a question it did not understand → /unanswered → attached to
an entry → the same and a slightly different wording are answered, also after a restart; the
question goes to a staff member without retyping."""

from __future__ import annotations

from bot.clock import FrozenClock
from bot.config import Settings
from fake_telegram import FakeTelegramServer, SimulatedUser
from tests.conftest import SUPPORT_CHAT_ID, RunningBot, run_bot
from tests.test_faq_bot import shows_answer
from tests.test_support import STAFF_ID, add_staff, support_posts

QUESTION = "чё там с бумажкой для кафешек"
VARIANT = "а чё там с бумажкой для кафешек?"
NOT_FOUND = "не нашёл готового ответа"


async def test_staff_teach_a_question_and_it_is_answered_also_after_a_restart(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    async with run_bot(settings, fake_server, clock) as running:
        _, staff, _ = await add_staff(running)
        citizen = running.server.user(1001, "Анна", language_code="ru")
        ru = running.app.faq.books["ru"]
        en = running.app.faq.books["en"]
        for text in (QUESTION, QUESTION + "?", VARIANT.replace("а ", "ну ")):
            replies = await citizen.send(text)
            assert NOT_FOUND in replies[-1].text

        replies = await staff.send("/unanswered")
        listing = replies[-1]
        assert QUESTION in listing.text and "3×" in listing.text.replace(" ", "")
        replies = await staff.click("➕ 1")
        assert "Which FAQ question answers" in replies[-1].text
        assert en["how_to_get_qr"].title in replies[-1].button_labels
        replies = await staff.click(en["how_to_get_qr"].title)
        assert "attached" in replies[-1].text
        assert "No unanswered questions." in replies[-1].text  # the cluster left the list

        for text in (QUESTION, VARIANT):
            replies = await citizen.send(text)
            assert shows_answer(replies[-1], ru["how_to_get_qr"]), text

        replies = await staff.send("/wordings")
        assert QUESTION in replies[-1].text and str(STAFF_ID) in replies[-1].text
        assert en["how_to_get_qr"].title in replies[-1].text

    async with run_bot(settings, fake_server, clock) as running:  # a new process, same database
        citizen = running.server.user(1001, "Анна", language_code="ru")
        replies = await citizen.send(VARIANT)
        assert shows_answer(replies[-1], running.app.faq.books["ru"]["how_to_get_qr"])


async def test_dismissed_questions_leave_the_list_and_a_wording_can_be_removed(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    _, staff, _ = await add_staff(running_bot)
    await user.send("какая погода в пензе")
    await user.send(QUESTION)
    replies = await staff.send("/unanswered")
    assert "погода" in replies[-1].text and QUESTION in replies[-1].text
    number = 1 if "погода" in replies[-1].text.split("2.")[0] else 2
    replies = await staff.click(f"🗑 {number}")
    assert "погода" not in replies[-1].text and QUESTION in replies[-1].text

    await staff.click("➕ 1")
    await staff.click(running_bot.app.faq.books["en"]["validity"].title)
    replies = await user.send(QUESTION)
    assert shows_answer(replies[-1], running_bot.app.faq.books["ru"]["validity"])
    await staff.send("/wordings")
    replies = await staff.click("🗑 1")
    replies = await user.send(QUESTION)
    assert NOT_FOUND in replies[-1].text
    assert await running_bot.repo.wordings.all() == []


async def test_strangers_cannot_teach(running_bot: RunningBot, user: SimulatedUser) -> None:
    await user.send(QUESTION)
    replies = await user.send("/unanswered")
    assert replies[-1].text == "Извините, это недоступно."
    replies = await user.send("/wordings")
    assert replies[-1].text == "Извините, это недоступно."


async def test_ask_staff_after_not_found_sends_the_question_without_retyping(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    await add_staff(running_bot)
    replies = await user.send("подскажите, можно ли сдать анализ в выходной день 31 декабря")
    assert "💬 Спросить сотрудника" in replies[-1].button_labels
    replies = await user.click("💬 Спросить сотрудника")
    ticket = await running_bot.repo.tickets.open_for_user(user.id)
    assert ticket is not None
    assert f"№{ticket.id}" in replies[-1].text
    post = support_posts(running_bot)[-1]
    assert post.text.endswith("подскажите, можно ли сдать анализ в выходной день 31 декабря")
    assert user.id not in running_bot.dp["kept_questions"]  # sent once, then forgotten

    # with the request open, a typed question offers to add it to the request
    replies = await user.send("какая погода будет завтра")
    add = f"➕ Добавить в запрос №{ticket.id}"
    assert add in replies[-1].button_labels
    replies = await user.click(add)
    assert f"№{ticket.id}" in replies[-1].text
    assert support_posts(running_bot)[-1].text.endswith("какая погода будет завтра")
    messages = await running_bot.repo.tickets.messages(ticket.id)
    assert len(messages) == 2


async def test_an_old_ask_staff_button_without_a_kept_question_asks_to_type_it(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    await add_staff(running_bot)
    await user.send("какая погода будет завтра")
    running_bot.dp["kept_questions"].forget(user.id)  # as a restart does: it is kept in memory
    replies = await user.click("💬 Спросить сотрудника")
    assert "Напишите ваш вопрос" in replies[-1].text
    assert support_posts(running_bot) == [] or all(
        "погода" not in (p.text or "") for p in support_posts(running_bot)
    )
    assert SUPPORT_CHAT_ID


async def test_a_question_with_a_letter_or_two_is_tagged_with_the_users_language(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    """Issue 15: a Russian user's «<b>x</b>» was listed as (en): two Latin letters tell nothing
    about the language, the person's own one is used."""
    await add_staff(running_bot)
    await user.send("<b>x</b>")
    rows = await running_bot.repo.questions.all_rows()
    assert [(language, text) for _, language, text, _ in rows] == [("ru", "<b>x</b>")]
