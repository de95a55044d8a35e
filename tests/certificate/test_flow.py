"""End to end through the fake Bot API: saving a certificate, the card, the deep link, /forget."""

from __future__ import annotations

import asyncio
import io
from datetime import date

import zxingcpp
from aiogram.fsm.storage.base import StorageKey
from PIL import Image

from bot.keyboards.guide import GUIDE_STEPS
from domain import parse_snils
from domain.certificate_input import initials
from domain.snils import snils_digest, snils_fingerprint
from fake_telegram import BotMessage, SimulatedUser
from storage import SnilsKeys
from tests.conftest import RunningBot, run_bot
from tests.test_guide import open_guide_after_check

# The frozen clock says 28.11.2026 (Moscow).
TEST_DATE = "01.10.2026"
EXPIRES = "01.04.2027"
OFFICIAL = "https://www.gosuslugi.ru/covid-cert/verify/9160000012345678?lang=ru&ck=0a1b2c3d4e5f"
SNILS = "112-233-445 95"
OTHER_SNILS = "123-456-789 64"
SKIP = "Пропустить ⏭"
SAVE = "📥 Сохранить сертификат"


def qr_of(message: BotMessage) -> str:
    assert message.kind == "photo" and message.photo is not None
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(message.photo)))
    assert len(results) == 1
    return results[0].text


def photo(replies: list[BotMessage]) -> BotMessage:
    photos = [message for message in replies if message.kind == "photo"]
    assert len(photos) == 1, replies
    return photos[0]


async def save_certificate(
    user: SimulatedUser,
    *,
    date_text: str = TEST_DATE,
    name: str = "Анна Петрова",
    link: str | None = None,
    snils: str | None = None,
    refused: bool = False,
) -> list[BotMessage]:
    replies = await user.send("/mycert")
    assert "Вы ещё не сохраняли здесь сертификат" in replies[-1].text
    replies = await user.click(SAVE)
    assert "Шаг 1 из 4" in replies[-1].text
    replies = await user.send(date_text)
    assert "Шаг 2 из 4" in replies[-1].text
    replies = await user.send(name)
    assert "Шаг 3 из 4" in replies[-1].text
    replies = await (user.send(link) if link else user.click(SKIP))
    assert "Шаг 4 из 4" in replies[-1].text
    if snils:  # the deletion notice, then the refusal, or "saved" + the card
        return await user.send(snils, expect=1 if refused else 2)
    return await user.click(SKIP, expect=2)


async def test_saving_with_link_and_snils_gives_a_card_leading_to_gosuslugi(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await save_certificate(user, link=OFFICIAL, snils=SNILS)
    assert replies[0].text.startswith("🔒 Сообщение с номером СНИЛС я удалил из чата.")
    assert "Сертификат сохранён" in replies[0].text
    card = photo(replies)
    assert qr_of(card) == OFFICIAL
    assert "Владелец: Анна Петрова" in card.caption
    assert f"Действует с {TEST_DATE} до {EXPIRES}" in card.caption
    assert "осталось 124 дня" in card.caption
    assert "СНИЛС проверен" in card.caption and "445" not in card.caption
    # the SNILS message is gone from the chat; only the slow fingerprint is stored, no digit
    assert all(SNILS not in (m.get("text") or "") for m in user.chat.incoming.values())
    stored = await running_bot.repo.certificates.latest_for_user(user.id)
    assert stored is not None
    assert (stored.test_date, stored.expires_on) == (date(2026, 10, 1), date(2027, 4, 1))
    assert stored.official_url == OFFICIAL and stored.snils_given
    key = running_bot.app.settings.secret_key_bytes
    registry = await running_bot.repo.db.fetchall("SELECT digest FROM snils_registry")
    assert [row["digest"] for row in registry] == [snils_fingerprint(parse_snils(SNILS), key)]
    row = await running_bot.repo.db.fetchone("SELECT * FROM certificates")
    assert row is not None
    assert not any(isinstance(v, str) and ("445" in v or "95" in v) for v in tuple(row))


async def test_without_a_link_the_qr_is_the_bots_deep_link(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await save_certificate(user)
    stored = await running_bot.repo.certificates.latest_for_user(user.id)
    assert stored is not None and stored.official_url is None and not stored.snils_given
    payload = qr_of(photo(replies))
    assert payload == f"https://t.me/antibody_test_bot?start=c_{stored.token}"
    assert len(f"c_{stored.token}") <= 64


def _keys(running_bot: RunningBot, snils: str = SNILS) -> SnilsKeys:
    key = running_bot.app.settings.secret_key_bytes
    return SnilsKeys(
        fingerprint=snils_fingerprint(parse_snils(snils), key),
        legacy=snils_digest(parse_snils(snils), key),
    )


async def test_suggested_test_date_from_the_check(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    key = StorageKey(bot_id=running_bot.bot.id, chat_id=user.id, user_id=user.id)
    await running_bot.dp.storage.set_data(key, {"test_date": "2026-09-15"})
    await user.send("/mycert")
    replies = await user.click(SAVE)
    assert "📅 15.09.2026" in replies[-1].button_labels
    replies = await user.click("📅 15.09.2026")
    assert "Шаг 2 из 4" in replies[-1].text


async def test_bad_dates_are_explained(user: SimulatedUser) -> None:
    await user.send("/mycert")
    await user.click(SAVE)
    replies = await user.send("01.12.2026")
    assert "это дата в будущем" in replies[-1].text
    assert "сертификат получить нельзя" in replies[-1].text
    replies = await user.send("27.05.2026")
    assert "прошло больше 6 месяцев" in replies[-1].text
    assert "сертификат получить нельзя" in replies[-1].text
    replies = await user.send("31.02.2026")
    assert "в этом месяце 28 дней" in replies[-1].text
    replies = await user.send("абв <b>")
    assert "Не понял дату «абв <b>»" in replies[-1].text
    replies = await user.send("05.03")
    assert "Не хватает года" in replies[-1].text
    replies = await user.send("28.05.2026")  # the oldest one still valid: its last day
    assert "Шаг 2 из 4" in replies[-1].text


async def test_bad_names_and_html_in_the_name(user: SimulatedUser) -> None:
    await user.send("/mycert")
    await user.click(SAVE)
    await user.send(TEST_DATE)
    replies = await user.send("Я" * 65)
    assert "Слишком длинно: 65 символов" in replies[-1].text
    replies = await user.send("Анна\nПетрова")
    assert "служебные символы" in replies[-1].text
    await user.send("<b>Ann</b> & Co")
    await user.click(SKIP)
    replies = await user.click(SKIP, expect=2)
    card = photo(replies)
    assert "Владелец: <b>Ann</b> & Co" in card.caption  # shown literally, not as markup
    assert "&lt;b&gt;" in card.caption_html


async def test_bad_links_are_refused_with_a_reason(user: SimulatedUser) -> None:
    await user.send("/mycert")
    await user.click(SAVE)
    await user.send(TEST_DATE)
    await user.send("Анна Петрова")
    cases = {
        "https://evil.example/covid-cert/verify/1": "не на Госуслуги",
        "http://www.gosuslugi.ru/covid-cert/verify/1": "должна начинаться с https://",
        "https://www.gosuslugi.ru/help": "но не на сертификат",
        "мой сертификат": "не похоже на ссылку",
    }
    for link, reason in cases.items():
        replies = await user.send(link)
        assert reason in replies[-1].text, link
        assert SKIP in replies[-1].button_labels
    status_link = "https://gosuslugi.ru/covid-cert/status/6f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8"
    replies = await user.send(status_link)
    assert "Шаг 4 из 4" in replies[-1].text


async def test_bad_snils_each_explained_and_deleted(user: SimulatedUser) -> None:
    await user.send("/mycert")
    await user.click(SAVE)
    await user.send(TEST_DATE)
    await user.send("Анна Петрова")
    await user.click(SKIP)
    cases = {
        "112-233-445 96": "Контрольное число не сходится",
        "112-233-445": "В СНИЛС 11 цифр, а здесь 9",
        "112-233-445 9x": "только цифры, пробелы и дефисы, а тут есть «x»",
        "--- ---": "Не вижу цифр",
    }
    for text, reason in cases.items():
        before = set(user.chat.incoming)
        replies = await user.send(text)
        assert len(replies) == 1
        assert replies[0].text.startswith("🔒 Сообщение с номером СНИЛС я удалил"), text
        assert reason in replies[0].text, text
        assert set(user.chat.incoming) <= before  # the message just sent is gone
    replies = await user.send(OTHER_SNILS, expect=2)
    assert photo(replies).kind == "photo"


async def test_the_same_snils_from_another_user_is_refused(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await save_certificate(user, snils=SNILS)
    other = running_bot.server.user(2002, "Пётр", language_code="ru")
    replies = await save_certificate(
        other, name="Пётр Иванов", snils="11223344595", date_text="02.10.2026", refused=True
    )
    assert "уже сохранён сертификат по анализу с другой датой" in replies[-1].text
    assert "единоразово" in replies[-1].text
    assert "сделайте прививку или сдайте ПЦР-тест" in replies[-1].text
    assert all(message.kind != "photo" for message in replies)
    assert await running_bot.repo.certificates.latest_for_user(other.id) is None
    assert SKIP in replies[-1].button_labels  # issue 15: the way on is kept
    # the same test (same date) from another account is the same certificate, not a second one
    third = running_bot.server.user(2003, "Анна", language_code="ru")
    replies = await save_certificate(third, snils="112 233 445 95")
    assert photo(replies).kind == "photo"


async def test_an_old_fast_digest_is_upgraded_at_start_and_still_refuses_the_number(
    settings, fake_server, clock
) -> None:
    """A registry row written before fingerprints (a bare HMAC) is turned into a fingerprint by
    the bot's start, without the number, and the once-per-person rule holds across it."""
    from storage import Database

    legacy = snils_digest(parse_snils(SNILS), settings.secret_key_bytes)
    db = await Database.open(settings.database_path)
    await db.execute(
        "INSERT INTO snils_registry (digest, created_at) VALUES (?, '2026-01-01')", (legacy,)
    )
    await db.close()
    async with run_bot(settings, fake_server, clock) as running:
        for _ in range(200):  # the upgrade runs in the background, ~0.1 s per row
            rows = await running.repo.db.fetchall("SELECT digest FROM snils_registry")
            if [r["digest"] for r in rows] == [_keys(running).fingerprint]:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"not upgraded: {[tuple(r) for r in rows]}")
        user = running.server.user(3003, "Ольга", language_code="ru")
        replies = await save_certificate(user, snils=SNILS, refused=True)
        assert "уже сохранён" in replies[-1].text


async def test_mycert_and_menu_button_show_the_card_again(user: SimulatedUser) -> None:
    first = photo(await save_certificate(user, link=OFFICIAL))
    replies = await user.send("/mycert")
    again = photo(replies)
    assert qr_of(again) == OFFICIAL
    assert again.caption == first.caption
    await user.send("/start")
    replies = await user.click("📄 Мой сертификат", expect=1)
    assert qr_of(photo(replies)) == OFFICIAL


async def test_back_and_cancel(user: SimulatedUser) -> None:
    await user.send("/mycert")
    await user.click(SAVE)
    await user.send(TEST_DATE)
    replies = await user.click("⬅️ Назад")
    assert "Шаг 1 из 4" in replies[-1].text
    await user.send(TEST_DATE)
    replies = await user.click("✖️ Отмена")
    assert replies[-1].text == "Действие отменено."
    replies = await user.send("Анна Петрова")  # no longer in the flow
    assert "Шаг" not in replies[-1].text


async def test_deep_link_shows_status_with_initials_only(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await save_certificate(user, name="Анна Петровна Иванова", snils=SNILS)
    stored = await running_bot.repo.certificates.latest_for_user(user.id)
    assert stored is not None
    staff = running_bot.server.user(3003, "Регистратура", language_code="ru")
    replies = await staff.send(f"/start c_{stored.token}")
    text = replies[-1].text
    assert "Сертификат действует" in text
    assert initials(stored.holder_name) == "А. П. И."
    assert "Владелец: А. П. И." in text
    assert f"Действует с {TEST_DATE} до {EXPIRES}" in text
    for private in ("Анна", "Петровна", "Иванова", "445", "Здравствуйте"):
        assert private not in text


async def test_deep_link_to_an_expired_certificate(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    repo = running_bot.repo
    await repo.users.touch(user.id, running_bot.app.clock.now())
    await repo.certificates.add(
        user.id,
        holder_name="John Smith",
        test_date=date(2026, 1, 10),
        expires_on=date(2026, 7, 10),
        now=running_bot.app.clock.now(),
        token="expiredtoken_123",
    )
    replies = await user.send("/start c_expiredtoken_123")
    assert "Срок действия сертификата истёк" in replies[-1].text
    assert "J. S." in replies[-1].text and "Smith" not in replies[-1].text
    assert "с 10.01.2026 до 10.07.2026" in replies[-1].text
    replies = await user.send("/mycert")
    assert "Срок действия истёк 10.07.2026" in photo(replies).caption


async def test_unknown_token_is_not_found(user: SimulatedUser) -> None:
    replies = await user.send("/start c_AAAAAAAAAAAAAAAAAAAAAA")
    assert "Сертификат не найден" in replies[-1].text
    replies = await user.send("/start")  # a plain /start still greets
    assert "Здравствуйте, Анна" in replies[-1].text


async def test_english_user_gets_an_english_card(english_user: SimulatedUser) -> None:
    await english_user.send("/mycert")
    await english_user.click("📥 Save the certificate")
    await english_user.send(TEST_DATE)
    await english_user.send("John Smith")
    await english_user.click("Skip ⏭")
    replies = await english_user.click("Skip ⏭", expect=2)
    card = photo(replies)
    assert "Valid from 01.10.2026 until 01.04.2027" in card.caption
    assert "124 days left" in card.caption


async def test_forget_deletes_data_but_keeps_the_snils_hash(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await save_certificate(user, snils=SNILS)
    stored = await running_bot.repo.certificates.latest_for_user(user.id)
    assert stored is not None
    replies = await user.send("/forget")
    assert "Удалить ваши данные" in replies[-1].text
    replies = await user.click("🗑 Да, удалить")
    assert "ваши данные удалены" in replies[-1].text
    assert "отпечаток СНИЛС" in replies[-1].text and "без цифр номера" in replies[-1].text
    repo = running_bot.repo
    assert await repo.users.get(user.id) is None
    assert await repo.certificates.latest_for_user(user.id) is None
    assert await repo.certificates.snils_used(_keys(running_bot))
    replies = await user.send(f"/start c_{stored.token}")
    assert "Сертификат не найден" in replies[-1].text
    # the once-per-person rule survives the deletion: another test is refused...
    replies = await save_certificate(user, snils=SNILS, date_text="02.10.2026", refused=True)
    assert "уже сохранён" in replies[-1].text
    # ...and the same certificate can be saved again (issue 15)
    await user.send("/cancel")
    replies = await save_certificate(user, snils=SNILS)
    assert photo(replies).kind == "photo"


async def test_forget_declined_keeps_everything(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await save_certificate(user)
    await user.send("/forget")
    replies = await user.click("Нет, оставить")
    assert "ничего не удаляю" in replies[-1].text
    assert await running_bot.repo.certificates.latest_for_user(user.id) is not None


async def test_from_check_and_guide_to_the_card(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    """The hand-off: /check leaves the test date, the guide's last button opens this flow."""
    await open_guide_after_check(user)
    for _ in range(GUIDE_STEPS):
        await user.click("Готово ✅", expect=1)
    replies = await user.click("💾 Сохранить в боте", expect=1)
    assert "📅 20.11.2026" in replies[-1].button_labels
    replies = await user.click("📅 20.11.2026", expect=1)
    assert "Шаг 2 из 4" in replies[-1].text
    await user.send("Анна Петрова")
    await user.send(OFFICIAL)
    replies = await user.send(SNILS, expect=2)
    card = photo(replies)
    assert qr_of(card) == OFFICIAL
    assert "Действует с 20.11.2026 до 20.05.2027" in card.caption


async def test_a_double_tap_on_the_last_step_saves_one_certificate(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await user.send("/mycert")
    await user.click(SAVE)
    await user.send(TEST_DATE)
    await user.send("Анна Петрова")
    await user.click(SKIP)
    await asyncio.gather(user.click(SKIP, expect=2), user.click(SKIP, expect=2))
    certificates = await running_bot.repo.certificates.list_for_user(user.id)
    assert len(certificates) == 1
    reminders = await running_bot.repo.reminders.list_for_user(user.id)
    assert len(reminders) == len({r.offset_days for r in reminders})


async def test_an_old_forget_confirmation_is_asked_again(
    user: SimulatedUser, running_bot: RunningBot, clock
) -> None:
    """Issue 15: a "yes" pressed long after the question deletes nothing; it is asked again."""
    from datetime import timedelta

    await save_certificate(user)
    replies = await user.send("/forget")
    question = replies[-1]
    clock.advance(timedelta(minutes=6))
    replies = await user.click("🗑 Да, удалить", message=question)
    assert "подтверждение устарело" in replies[-1].text
    assert await running_bot.repo.certificates.latest_for_user(user.id) is not None
    replies = await user.click("🗑 Да, удалить", message=replies[-1])  # the fresh one
    assert "ваши данные удалены" in replies[-1].text
    assert await running_bot.repo.certificates.latest_for_user(user.id) is None
