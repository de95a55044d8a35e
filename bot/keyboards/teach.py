"""Keyboards of staff teaching the FAQ (/unanswered, /wordings)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Teach, TeachAction
from bot.faq.clusters import Cluster
from bot.faq.content import FaqEntry
from bot.faq.library import FaqLibrary
from bot.i18n import Translator
from storage import Wording


def _button(text: str, data: Teach) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def clusters(t: Translator, shown: Sequence[Cluster]) -> InlineKeyboardMarkup | None:
    """Per cluster: attach to an entry, or dismiss."""
    rows = [
        [
            _button(
                t("staff-teach-button-attach", number=str(n)),
                Teach(action=TeachAction.PICK, cluster=c.key),
            ),
            _button(
                t("staff-teach-button-dismiss", number=str(n)),
                Teach(action=TeachAction.DISMISS, cluster=c.key),
            ),
        ]
        for n, c in enumerate(shown, start=1)
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def entries(
    t: Translator, faq: FaqLibrary, cluster: Cluster, book: Sequence[FaqEntry]
) -> InlineKeyboardMarkup:
    """Every FAQ entry (in the staff member's language), then back to the list."""
    rows = [
        [
            _button(
                entry.title,
                Teach(action=TeachAction.ATTACH, cluster=cluster.key, entry=faq.key_of(entry.id)),
            )
        ]
        for entry in book
    ]
    rows.append([_button(t("staff-teach-button-back"), Teach(action=TeachAction.LIST))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def wordings(t: Translator, shown: Sequence[Wording]) -> InlineKeyboardMarkup | None:
    buttons = [
        _button(
            t("staff-wordings-button-remove", number=str(n)),
            Teach(action=TeachAction.REMOVE, wording=w.id),
        )
        for n, w in enumerate(shown, start=1)
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
