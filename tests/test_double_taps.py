"""A double tap (the second before the bot has reacted to the first) on each button that changes
something is applied once: one person's updates are handled one after another
(bot/middlewares/fairness.py), and the second finds what the first did. Also /check's last answer
(tests/test_fairness.py), the certificate's last step (tests/certificate/test_flow.py) and
"Send" of a broadcast (tests/test_broadcast.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from fake_telegram import SimulatedUser
from tests.certificate.test_flow import save_certificate
from tests.conftest import RunningBot
from tests.test_support import add_staff, support_posts


async def test_ask_a_staff_member_twice_posts_the_question_once(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    await add_staff(running_bot)
    await user.send("подскажите, можно ли сдать анализ в выходной день 31 декабря")
    before = len(support_posts(running_bot))
    await user.double_click("💬 Спросить сотрудника")
    await asyncio.sleep(0.3)
    posts = support_posts(running_bot)[before:]
    assert len(posts) == 1
    assert (
        await running_bot.repo.tickets.count_recent_for_user(user.id, _long_ago(running_bot)) == 1
    )


async def test_delete_my_data_twice_deletes_once_and_says_so_once(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    await save_certificate(user)
    await user.send("/forget")
    await user.double_click("🗑 Да, удалить")
    await asyncio.sleep(0.3)
    deleted = [m for m in user.messages if "ваши данные удалены" in (m.text or "")]
    assert len(deleted) == 1
    assert await running_bot.repo.certificates.latest_for_user(user.id) is None


async def test_attaching_a_question_twice_teaches_one_wording(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    _, staff, _ = await add_staff(running_bot)
    await user.send("чё там с бумажкой для кафешек")
    await staff.send("/unanswered")
    await staff.click("➕ 1")
    await staff.double_click(running_bot.app.faq.books["en"]["validity"].title)
    await asyncio.sleep(0.3)
    assert len(await running_bot.repo.wordings.all()) == 1


async def test_closing_a_request_twice_tells_the_citizen_once(
    running_bot: RunningBot, user: SimulatedUser
) -> None:
    _, staff, _ = await add_staff(running_bot)
    await user.send("/support")
    await user.send("Где мой результат?")
    post = support_posts(running_bot)[-1]
    await staff.double_click(contains="Закрыть", message=post)
    await asyncio.sleep(0.3)
    closed = [m for m in user.messages if "закрыто" in (m.text or "")]
    assert len(closed) == 1
    assert await running_bot.repo.tickets.open_for_user(user.id) is None


def _long_ago(running_bot: RunningBot) -> datetime:
    return running_bot.app.clock.now() - timedelta(days=1)
