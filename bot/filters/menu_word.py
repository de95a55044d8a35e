"""A message that is only the name of a section ("меню", "проверить", "мой сертификат")."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message

from bot.faq.intents import MenuSection
from bot.faq.library import FaqLibrary


class MenuWord(Filter):
    """True when the whole text names one of ``sections`` (any section when none is given).
    The words per language are in ``locales/<lang>/faq_intents.toml``."""

    def __init__(self, *sections: MenuSection) -> None:
        self.sections = frozenset(sections)

    async def __call__(self, message: Message, faq: FaqLibrary, language: str) -> bool:
        if not message.text or message.text.startswith("/"):  # commands have their own routes
            return False
        section = faq.menu_section(message.text, language)
        return section is not None and (not self.sections or section in self.sections)
