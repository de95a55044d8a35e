"""What a typed message is, before it is a question: small talk, a menu word, or a question about
the lab itself (price, hours, address) that the memo does not answer.

Words per language in ``locales/<lang>/faq_intents.toml``::

    language = "ru"
    [small_talk]                     # a message made only of these is small talk
    greeting = ["привет", "добрый день", …]
    thanks = ["спасибо", …]
    …
    [menu]                           # the whole message opens a section of the bot
    check = ["проверить", "проверка", …]
    …
    [lab_info]                       # competes with the FAQ entries in the matcher
    title = "Цена, часы работы, адрес лаборатории"
    keywords = [...]
    phrasings = [...]
    [other]                          # near the subject, not in the memo: competes too
    title = "…"
    keywords = [...]
    phrasings = [...]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.faq.content import load_toml_model
from bot.faq.matcher import Document, tokenize

__all__ = [
    "INTENTS_FILE_NAME",
    "LAB_INFO_ID",
    "OTHER_TOPIC_ID",
    "Intents",
    "MenuSection",
    "SmallTalk",
    "load_intents",
]

INTENTS_FILE_NAME = "faq_intents.toml"
LAB_INFO_ID = "lab_info"  # the id of the lab's-contacts document in the matcher
OTHER_TOPIC_ID = "other_topic"  # near the memo's subject, not in it: "no answer"


class SmallTalk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    BYE = "bye"
    ACK = "ack"
    WHO = "who"  # "are you a bot?", "who are you"


class MenuSection(StrEnum):
    MENU = "menu"
    FAQ = "faq"
    CHECK = "check"
    CERT = "cert"
    GUIDE = "guide"
    SUPPORT = "support"
    LANGUAGE = "language"
    REMINDERS = "reminders"


class _Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    keywords: tuple[str, ...] = ()
    phrasings: tuple[str, ...] = Field(min_length=1)


class _IntentsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str
    small_talk: dict[SmallTalk, tuple[str, ...]]
    menu: dict[MenuSection, tuple[str, ...]]
    lab_info: _Topic
    other: _Topic
    subject: tuple[str, ...] = ()


_LONGEST_CHAT_CHARS = 200  # longer messages are never only a menu word or small talk


def _key(text: str) -> str:
    return " ".join(tokenize(text))


@dataclass(frozen=True, slots=True)
class Intents:
    language: str
    small_talk: dict[str, SmallTalk]  # phrase (normalised tokens joined by a space) → kind
    longest_small_talk: int  # tokens in the longest phrase
    menu: dict[str, MenuSection]  # whole message (normalised) → section
    lab_info: Document
    other_topic: Document
    subject: tuple[str, ...] = ()  # the memo's bare words: about every entry alike

    def menu_section(self, text: str) -> MenuSection | None:
        """The section a message names, when the whole message is a menu word."""
        if len(text) > _LONGEST_CHAT_CHARS:
            return None
        return self.menu.get(_key(text))

    def small_talk_kind(self, text: str) -> SmallTalk | None:
        """The kind of small talk when the message is nothing else (greetings, thanks, emoji).

        Greedy longest-phrase cover of the tokens; any token left over makes it a question.
        The last phrase decides the kind ("спасибо, до свидания" is a goodbye).
        """
        if len(text) > _LONGEST_CHAT_CHARS:
            return None
        tokens = tokenize(text)
        if not tokens:
            # "👍", "🙏" (symbols) are a nod; "???" (punctuation only) is not
            return SmallTalk.ACK if any(unicodedata.category(c)[0] == "S" for c in text) else None
        kind: SmallTalk | None = None
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest_small_talk, len(tokens) - i), 0, -1):
                found = self.small_talk.get(" ".join(tokens[i : i + size]))
                if found is not None:
                    kind = found
                    i += size
                    break
            else:
                return None
        return kind


def load_intents(path: Path | str) -> Intents:
    path = Path(path)
    data = load_toml_model(path, _IntentsFile)
    small_talk = {
        _key(phrase): kind for kind, phrases in data.small_talk.items() for phrase in phrases
    }
    small_talk.pop("", None)
    menu = {_key(word): section for section, words in data.menu.items() for word in words}
    menu.pop("", None)
    info, other = data.lab_info, data.other
    return Intents(
        language=data.language,
        small_talk=small_talk,
        longest_small_talk=max((len(k.split()) for k in small_talk), default=1),
        menu=menu,
        lab_info=Document(LAB_INFO_ID, info.title, info.phrasings, info.keywords),
        other_topic=Document(OTHER_TOPIC_ID, other.title, other.phrasings, other.keywords),
        subject=data.subject,
    )
