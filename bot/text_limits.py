"""Telegram's length limits for HTML messages: measure what the user will see, split safely.

Telegram counts the *visible* text (after HTML parsing) in UTF-16 code units: 4096 for a
message, 1024 for a caption. Emoji outside the BMP count as two.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

MAX_TEXT = 4096
MAX_CAPTION = 1024
_TAG = re.compile(r"<[^>]*>")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_len(html_text: str) -> int:
    """Length Telegram checks for an HTML text: tags removed, entities decoded, in UTF-16 units."""
    return utf16_len(html.unescape(_TAG.sub("", html_text)))


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def split_plain(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split plain text into pieces of at most ``limit`` UTF-16 units, preferring line breaks,
    then spaces; never inside a surrogate pair. Escape each piece afterwards (escaping does not
    change the visible length)."""
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        units = 0
        cut = 0
        for index, char in enumerate(rest):
            units += 2 if ord(char) > 0xFFFF else 1
            if units > limit:
                cut = index
                break
        window = rest[:cut]
        for separator in ("\n", " "):
            at = window.rfind(separator)
            if at > cut // 2:
                cut = at + 1
                break
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def fit_lines(
    header: str, lines: list[str], more: Callable[[int], str], limit: int = MAX_TEXT
) -> str:
    """``header`` + as many ``lines`` as fit in ``limit`` (visible length); if some do not fit,
    a last line ``more(n)`` ("…and n more") counts them."""
    text = header
    for index, line in enumerate(lines):
        left = len(lines) - index - 1
        tail = ("\n" + more(left)) if left else ""
        if visible_len(text + "\n" + line + tail) > limit:
            return text + "\n" + more(len(lines) - index)
        text += "\n" + line
    return text
