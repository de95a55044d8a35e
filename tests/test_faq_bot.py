"""Frequent questions end to end: /faq and the menu, questions in one's own words, inline mode.

Behaviour pinned here: a typed question is matched in the language of its script, the answer is
shown in the USER's language (ids are shared by every book). Inline results follow the query's
script (else the user's language): they are sent into someone else's chat.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.callbacks import FaqShow
from bot.cli import main
from bot.config import Settings
from bot.factory import open_app
from bot.faq import FaqBook, FaqContentError, FaqEntry
from bot.faq.library import FaqLibrary, plain_text
from bot.routers.faq import MAX_RECORDED_CHARS
from fake_telegram import BotMessage, SimulatedUser
from tests.conftest import RunningBot

MENU_FAQ = {"ru": "❓ Частые вопросы", "en": "❓ Frequent questions"}
NEXT = {"ru": "Далее ▶️", "en": "Next ▶️"}
BACK_TO_LIST = {"ru": "⬅️ К списку вопросов", "en": "⬅️ Back to the questions"}
SUPPORT = {"ru": "💬 Спросить сотрудника", "en": "💬 Ask a staff member"}
ALL_QUESTIONS = {"ru": "📋 Все частые вопросы", "en": "📋 All frequent questions"}
NOT_IT = {"ru": "📋 Это не то — все вопросы", "en": "📋 Not it? All questions"}


def book(running_bot: RunningBot, language: str) -> FaqBook:
    return running_bot.app.faq.books[language]


def first_words(entry: FaqEntry, n: int = 6) -> str:
    """The beginning of the answer as the user sees it (plain text)."""
    return " ".join(plain_text(entry.answer).split()[:n])


def shows_answer(message: BotMessage, entry: FaqEntry) -> bool:
    text = " ".join((message.text or "").split())
    return entry.title in text and first_words(entry) in text


# ---------------------------------------------------------------------- the list


async def test_faq_command_lists_questions_and_shows_an_answer(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    ru = book(running_bot, "ru")
    replies = await user.send("/faq")
    assert "Частые вопросы" in replies[-1].text
    assert ru.entries[0].title in replies[-1].button_labels
    assert NEXT["ru"] in replies[-1].button_labels  # 12 questions: two pages
    list_message = replies[-1]

    replies = await user.click(ru.entries[0].title)
    assert shows_answer(replies[-1], ru.entries[0])
    assert replies[-1].message_id == list_message.message_id  # the list turned into the answer
    assert BACK_TO_LIST["ru"] in replies[-1].button_labels
    assert "🏠 Меню" in replies[-1].button_labels

    replies = await user.click(BACK_TO_LIST["ru"])
    assert ru.entries[0].title in replies[-1].button_labels


async def test_english_user_gets_english_questions(
    english_user: SimulatedUser, running_bot: RunningBot
) -> None:
    en = book(running_bot, "en")
    replies = await english_user.send("/faq")
    assert "Frequent questions" in replies[-1].text
    replies = await english_user.click(en.entries[1].title)
    assert shows_answer(replies[-1], en.entries[1])


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_every_entry_is_reachable_from_the_menu(
    running_bot: RunningBot, language: str
) -> None:
    person = running_bot.server.user(2000 + len(language), "Visitor", language_code=language)
    await person.send("/start")
    replies = await person.click(MENU_FAQ[language])
    seen_pages = 1
    for entry in book(running_bot, language):
        message = person.last_message
        assert message is not None
        while entry.title not in message.button_labels:
            assert NEXT[language] in message.button_labels, f"{entry.id} is on no page"
            replies = await person.click(NEXT[language])
            message = replies[-1]
            seen_pages += 1
        replies = await person.click(entry.title)
        assert shows_answer(replies[-1], entry), entry.id
        replies = await person.click(BACK_TO_LIST[language])  # back to the page it was on
        assert entry.title in replies[-1].button_labels
    assert seen_pages >= 2


async def test_language_switch_then_faq_is_english(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await user.send("/language")
    await user.click("🇬🇧 English")
    replies = await user.send("/faq")
    assert "Frequent questions" in replies[-1].text
    assert book(running_bot, "en").entries[0].title in replies[-1].button_labels


# ---------------------------------------------------------------------- free text


async def test_confident_question_is_answered(user: SimulatedUser, running_bot: RunningBot) -> None:
    replies = await user.send("Сколько действует сертификат?")
    assert shows_answer(replies[-1], book(running_bot, "ru")["validity"])
    assert NOT_IT["ru"] in replies[-1].button_labels
    assert SUPPORT["ru"] in replies[-1].button_labels
    answer = replies[-1]
    # "not it?" opens the list as a new message: the answer stays readable
    replies = await user.click(NOT_IT["ru"])
    assert replies[-1].message_id != answer.message_id
    assert book(running_bot, "ru").entries[0].title in replies[-1].button_labels
    assert await running_bot.repo.questions.count() == 0


async def test_vague_question_gets_suggestions_as_buttons(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    ru = book(running_bot, "ru")
    replies = await user.send("антитела")
    suggested = [
        label for label in replies[-1].button_labels if label in {entry.title for entry in ru}
    ]
    assert "Возможно, вы имели в виду" in replies[-1].text
    assert 2 <= len(suggested) <= 3
    entry = next(e for e in ru if e.title == suggested[0])
    replies = await user.click(suggested[0])
    assert shows_answer(replies[-1], entry)
    assert await running_bot.repo.questions.count() == 0


async def test_unrelated_question_is_not_found_and_recorded(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await user.send("какая погода")
    assert "не нашёл готового ответа" in replies[-1].text
    assert ALL_QUESTIONS["ru"] in replies[-1].button_labels
    assert SUPPORT["ru"] in replies[-1].button_labels
    await user.send("Какая погода?")
    groups = await running_bot.repo.questions.top_unanswered()
    assert len(groups) == 1  # the same question, worded slightly differently: one group
    assert groups[0].count == 2
    assert groups[0].languages == ("ru",)
    assert groups[0].example == "Какая погода?"
    replies = await user.click(ALL_QUESTIONS["ru"])
    assert book(running_bot, "ru").entries[0].title in replies[-1].button_labels


async def test_english_question_from_russian_user_is_answered_in_russian(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await user.send("How long is the certificate valid?")
    assert shows_answer(replies[-1], book(running_bot, "ru")["validity"])


async def test_russian_question_from_english_user_is_answered_in_english(
    english_user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await english_user.send("Сколько действует сертификат?")
    assert shows_answer(replies[-1], book(running_bot, "en")["validity"])
    assert NOT_IT["en"] in replies[-1].button_labels


async def test_html_characters_in_a_question_break_nothing(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    question = "<script>alert('x')</script> & <b>погода"
    replies = await user.send(question)
    assert "<script>alert('x')</script> & <b>погода" in replies[-1].text
    groups = await running_bot.repo.questions.top_unanswered()
    assert groups[0].example == question
    replies = await user.send("сколько действует <b>сертификат</b> & qr?")
    assert shows_answer(replies[-1], book(running_bot, "ru")["validity"])


async def test_very_long_text_is_answered_and_trimmed_when_recorded(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    text = ("погода на завтра в пензе " * 200)[:4096]
    replies = await user.send(text)
    assert "не нашёл готового ответа" in replies[-1].text
    assert len(replies[-1].text) < 1000  # the echo is shortened
    groups = await running_bot.repo.questions.top_unanswered()
    assert len(groups[0].example) <= MAX_RECORDED_CHARS


async def test_text_without_words_is_not_recorded(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await user.send("??? 👍")
    assert "не нашёл готового ответа" not in replies[-1].text  # an emoji is no question
    replies = await user.send("???")
    assert "не нашёл готового ответа" in replies[-1].text
    assert await running_bot.repo.questions.count() == 0


async def test_free_text_inside_a_conversation_is_not_taken(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    key = StorageKey(bot_id=running_bot.bot.id, chat_id=user.id, user_id=user.id)
    await running_bot.dp.storage.set_state(key, "SomeFeature:waiting_for_date")
    replies = await user.send("Сколько действует сертификат?")
    assert not any("6 месяцев" in (m.text or "") for m in replies)
    await running_bot.dp.storage.set_state(key, None)
    replies = await user.send("Сколько действует сертификат?")
    assert "6 месяцев" in replies[-1].text


# ---------------------------------------------------------------------- inline mode


def check_article(result: dict[str, object]) -> None:
    assert result["type"] == "article"
    assert 1 <= len(str(result["id"]).encode()) <= 64
    content = result["input_message_content"]
    assert isinstance(content, dict) and content["parse_mode"] == "HTML"
    assert "<" not in str(result.get("description", ""))


async def test_inline_query_returns_matching_answers(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    results = await user.inline("антитела igm")
    assert results and results[0]["id"] == "only_igg"
    ru = book(running_bot, "ru")
    assert results[0]["title"] == ru["only_igg"].title
    assert results[0]["input_message_content"]["message_text"] == ru["only_igg"].answer
    for result in results:
        check_article(result)
    answer = user.last_inline_answer or {}
    assert str(answer.get("is_personal", "false")).lower() in {"false", "0"}
    assert int(answer.get("cache_time", 0)) <= 60


async def test_inline_language_follows_the_query_script(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    results = await user.inline("how long is the certificate valid")
    assert results[0]["title"] == book(running_bot, "en")["validity"].title
    results = await user.inline("qr igm")  # script-neutral: the user's language
    assert results[0]["title"] == book(running_bot, "ru")["only_igg"].title


async def test_inline_partial_word_still_finds_something(user: SimulatedUser) -> None:
    results = await user.inline("лаборат")
    assert any(result["id"] == "which_lab" for result in results)


async def test_empty_inline_query_lists_entries_in_book_order(
    english_user: SimulatedUser, running_bot: RunningBot
) -> None:
    results = await english_user.inline("", chat_type="group")
    en = book(running_bot, "en")
    assert [r["id"] for r in results] == list(en.ids)
    assert results[0]["title"] == en.entries[0].title
    for result in results:
        check_article(result)


async def test_inline_query_with_html_characters(user: SimulatedUser) -> None:
    results = await user.inline("<script> & qr")
    for result in results:
        check_article(result)
    assert await user.inline("zzzzqqqq") == []


# ---------------------------------------------------------------------- content at start


def test_long_entry_ids_fit_in_callback_data() -> None:
    long_id = "a" * 64
    entry = FaqEntry(
        id=long_id,
        title="Длинный вопрос",
        answer="Ответ",
        phrasings=("вопрос",),
        keywords=("вопрос",),
    )
    library = FaqLibrary.from_books({"ru": FaqBook(language="ru", entries=(entry,))})
    packed = FaqShow(key=library.key_of(long_id)).pack()
    assert len(packed.encode()) <= 64
    assert library.id_of(library.key_of(long_id)) == long_id


def broken_faq_dir(tmp_path: Path) -> Path:
    root = tmp_path / "faq"
    for language in ("ru", "en"):
        folder = root / language
        folder.mkdir(parents=True)
        (folder / "faq.toml").write_text(
            '[[entry]]\nid = "x1"\ntitle = "Вопрос?"\nanswer = "<script>"\n'
            'phrasings = ["a"]\nkeywords = ["b"]\n',
            encoding="utf-8",
        )
    return root


async def test_broken_faq_fails_the_start_with_file_and_line(
    settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(FaqContentError) as error:
        async with open_app(settings, faq_dir=broken_faq_dir(tmp_path)):
            pass
    assert "faq.toml:4:" in str(error.value)


def test_cli_reports_a_broken_faq_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    monkeypatch.setattr("bot.factory.LOCALES_DIR", broken_faq_dir(tmp_path))
    assert main(["console"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("faq error: ") and "faq.toml:4:" in err
    assert "\n" not in err


async def test_unanswered_question_is_kept_without_personal_data(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    await user.send("Петрова Анна, снилс 112-233-445 95, тел +7 927 123-45-67, где мой полис?")
    groups = await running_bot.repo.questions.top_unanswered()
    assert len(groups) == 1
    assert "112" not in groups[0].example and "927" not in groups[0].example
    assert "[snils]" in groups[0].example and "[phone]" in groups[0].example
    assert not any(ch.isdigit() for ch in groups[0].normalized)


# ---------------------------------------------------------------------- not a question


async def test_small_talk_gets_a_short_reply_and_the_menu_and_is_not_recorded(
    user: SimulatedUser, english_user: SimulatedUser, running_bot: RunningBot
) -> None:
    replies = await user.send("Привет!")
    assert replies[-1].text.startswith("Здравствуйте!")
    assert MENU_FAQ["ru"] in replies[-1].button_labels
    replies = await user.send("спасибо большое")
    assert replies[-1].text.startswith("Пожалуйста!")
    replies = await english_user.send("thanks")
    assert replies[-1].text.startswith("You're welcome!")
    assert await running_bot.repo.questions.count() == 0


async def test_menu_words_open_their_sections(user: SimulatedUser) -> None:
    replies = await user.send("меню")
    assert MENU_FAQ["ru"] in replies[-1].button_labels
    replies = await user.send("Проверить")
    assert "Какой анализ" in replies[-1].text or "анализ" in replies[-1].text.lower()
    await user.send("/cancel")
    replies = await user.send("мой сертификат")
    assert "сертификат" in replies[-1].text.lower()
    replies = await user.send("инструкция")
    assert "Шаг 1" in " ".join(m.text or "" for m in replies)


async def test_questions_about_the_lab_get_its_contacts(
    settings: Settings, fake_server, clock
) -> None:
    from tests.conftest import run_bot

    contacts = "тел. +7 (8412) 00-00-00, ул. Примерная, 1, пн–пт 8:00–18:00"
    with_contacts = settings.model_copy(update={"lab_contacts": contacts})
    async with run_bot(with_contacts, fake_server, clock) as running:
        person = running.server.user(1001, "Анна", language_code="ru")
        replies = await person.send("сколько стоит анализ на антитела?")
        assert contacts in replies[-1].text
        assert SUPPORT["ru"] in replies[-1].button_labels
        assert not any(e.title in replies[-1].button_labels for e in running.app.faq.books["ru"])
        assert await running.repo.questions.count() == 0


async def test_a_close_second_entry_is_offered_beneath_the_answer(
    user: SimulatedUser, running_bot: RunningBot
) -> None:
    ru = book(running_bot, "ru")
    replies = await user.send("сколько действует сертификат и сколько раз его можно получить")
    shown = [e for e in ("validity", "how_many_times") if shows_answer(replies[-1], ru[e])]
    assert len(shown) == 1
    other = ({"validity", "how_many_times"} - set(shown)).pop()
    assert ru[other].title in replies[-1].button_labels
    replies = await user.click(ru[other].title)
    assert shows_answer(replies[-1], ru[other])
