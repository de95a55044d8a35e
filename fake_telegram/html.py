"""Strict Telegram HTML parse mode, modelled on tdlib's ``parse_html``.

``parse_html(source)`` returns the visible text and the message entities (offsets and lengths in
UTF-16 code units, as the Bot API reports them) or raises :class:`EntityParseError` with the same
wording Telegram uses after "Bad Request: can't parse entities: ".
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "EntityParseError",
    "parse_html",
    "parse_text",
    "strip_formatted",
    "utf16_len",
]

_SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "pre", "code", "span", "tg-spoiler", "tg-emoji", "blockquote",
    }
)  # fmt: skip
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_SPACE = " \t\r\n\f\v"
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_USER_LINK = re.compile(r"^tg://user\?id=(\d+)$", re.IGNORECASE)
_URL = re.compile(
    r"^(?:(?:https?|tg|ton)://)?[^\s/$.?#<>\"]+(?:\.[^\s/?#<>\"]+)*(?::\d+)?(?:[/?#]\S*)?$"
)


class EntityParseError(ValueError):
    """The text can't be parsed; ``str(error)`` is tdlib's message."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _is_name_char(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char in ".-"


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity at ``text[pos] == '&'`` → (character, next position) or None."""
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        value = 0
        if end < n and text[end] == "x":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                value = value * 16 + int(text[end], 16)
                end += 1
        else:
            while end < n and text[end].isascii() and text[end].isdigit():
                value = value * 10 + int(text[end])
                end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(value)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < n and text[end] == ";":
        end += 1
    return char, end


def _check_url(url: str) -> str | None:
    url = url.strip()
    if not url or not _URL.match(url):
        return None
    if "://" not in url:
        url = "http://" + url
    return url


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-flavoured HTML → (visible text, entities). Raises EntityParseError."""
    out: list[str] = []
    out_len = 0  # characters in ``out`` joined
    utf16 = 0
    entities: list[dict[str, Any]] = []
    # stack items: [tag, argument, utf16 offset, char offset in output]
    stack: list[tuple[str, str, int, int]] = []
    n = len(source)
    i = 0

    def err(message: str) -> EntityParseError:
        return EntityParseError(message)

    while i < n:
        c = source[i]
        if c == "&":
            decoded = _decode_entity(source, i)
            if decoded is not None:
                char, i = decoded
                out.append(char)
                out_len += 1
                utf16 += utf16_len(char)
                continue
        if c != "<":
            out.append(c)
            out_len += 1
            utf16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        i += 1
        if i < n and source[i] == "/":
            # end tag
            if not stack:
                raise err(f"Unexpected end tag at byte offset {_byte_offset(source, begin)}")
            while i < n and source[i] not in _SPACE and source[i] != ">":
                i += 1
            end_name = source[begin + 2 : i].lower()
            while i < n and source[i] in _SPACE:
                i += 1
            if i >= n or source[i] != ">":
                raise err(f"Unclosed end tag at byte offset {_byte_offset(source, begin)}")
            i += 1
            tag, argument, start16, start_char = stack.pop()
            if end_name and end_name != tag:
                raise err(
                    f"Unmatched end tag at byte offset {_byte_offset(source, begin)}, "
                    f'expected "</{tag}>", found "</{end_name}>"'
                )
            length = utf16 - start16
            if length <= 0:
                continue
            entity: dict[str, Any] | None
            if tag in _SIMPLE:
                entity = {"type": _SIMPLE[tag]}
            elif tag == "a":
                url = argument or "".join(out)[start_char:]
                user = _USER_LINK.match(url)
                if user:
                    entity = {"type": "text_mention", "user": {"id": int(user.group(1))}}
                else:
                    checked = _check_url(url)
                    entity = {"type": "text_link", "url": checked} if checked else None
            elif tag == "code":
                last = entities[-1] if entities else None
                if (
                    last is not None
                    and last["type"] == "pre"
                    and last["offset"] == start16
                    and last["length"] == length
                    and argument
                ):
                    last["language"] = argument
                    entity = None
                else:
                    entity = {"type": "code"}
            elif tag == "pre":
                last = entities[-1] if entities else None
                if (
                    last is not None
                    and last["type"] == "code"
                    and last["offset"] == start16
                    and last["length"] == length
                ):
                    last["type"] = "pre"
                    language = last.pop("_language", "")
                    if language:
                        last["language"] = language
                    entity = None
                else:
                    entity = {"type": "pre"}
            elif tag == "blockquote":
                entity = {"type": "expandable_blockquote" if argument else "blockquote"}
            elif tag == "tg-emoji":
                entity = {"type": "custom_emoji", "custom_emoji_id": argument}
            else:  # pragma: no cover - the start tag check makes this unreachable
                entity = None
            if entity is not None:
                entity["offset"] = start16
                entity["length"] = length
                if tag == "code" and argument:
                    entity["_language"] = argument
                entities.append(entity)
            continue

        # start tag
        while i < n and source[i] not in _SPACE and source[i] != ">":
            i += 1
        if i >= n:
            raise err(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
        tag = source[begin + 1 : i].lower()
        if tag not in _SUPPORTED_TAGS:
            raise err(f'Unsupported start tag "{tag}" at byte offset {_byte_offset(source, begin)}')
        argument = ""
        attributes: dict[str, str] = {}
        while i < n and source[i] != ">":
            while i < n and source[i] in _SPACE:
                i += 1
            if i < n and source[i] == ">":
                break
            attr_begin = i
            while i < n and source[i] not in _SPACE and source[i] not in "=>":
                i += 1
            attr_name = source[attr_begin:i].lower()
            if not attr_name:
                raise err(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{_byte_offset(source, begin)}"
                )
            while i < n and source[i] in _SPACE:
                i += 1
            if i >= n:
                raise err(
                    f'Unclosed start tag "{tag}" at byte offset {_byte_offset(source, begin)}'
                )
            if source[i] != "=":
                if tag == "blockquote" and attr_name == "expandable":
                    attributes[attr_name] = "1"
                    continue
                raise err(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {_byte_offset(source, begin)}"
                )
            i += 1
            while i < n and source[i] in _SPACE:
                i += 1
            if i >= n:
                raise err(
                    f'Unclosed start tag "{tag}" at byte offset {_byte_offset(source, begin)}'
                )
            value_chars: list[str] = []
            if source[i] not in "'\"":
                token_begin = i
                while i < n and (_is_name_char(source[i])):
                    i += 1
                value = source[token_begin:i].lower()
                if i < n and source[i] not in _SPACE and source[i] != ">":
                    raise err(
                        f"Unexpected end of name token at byte offset "
                        f"{_byte_offset(source, token_begin)}"
                    )
            else:
                quote = source[i]
                i += 1
                while i < n and source[i] != quote:
                    if source[i] == "&":
                        decoded = _decode_entity(source, i)
                        if decoded is not None:
                            value_chars.append(decoded[0])
                            i = decoded[1]
                            continue
                    value_chars.append(source[i])
                    i += 1
                if i < n:
                    i += 1
                value = "".join(value_chars)
            if i >= n:
                raise err(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
            attributes[attr_name] = value
        if i >= n:
            raise err(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
        i += 1  # skip '>'

        if tag == "a":
            argument = attributes.get("href", "")
        elif tag == "code":
            cls = attributes.get("class", "")
            argument = cls[len("language-") :] if cls.startswith("language-") else ""
        elif tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise err(
                    f'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(source, begin)}"
                )
        elif tag == "tg-emoji":
            argument = attributes.get("emoji-id", "")
            if not argument.isdigit():
                raise err(
                    f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset '
                    f"{_byte_offset(source, begin)}"
                )
        elif tag == "blockquote":
            argument = "1" if "expandable" in attributes else ""
        stack.append((tag, argument, utf16, out_len))

    if stack:
        raise err(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
    for entity in entities:
        entity.pop("_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def strip_formatted(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim leading/trailing whitespace like Telegram does, keeping entities consistent."""
    stripped_left = text.lstrip()
    shift = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip()
    total = utf16_len(result)
    fixed: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            fixed.append({**entity, "offset": start, "length": end - start})
    return result, fixed


def parse_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply ``parse_mode`` (or explicit ``entities``) → stripped visible text and entities.

    Raises EntityParseError (message without the "Bad Request: can't parse entities: " prefix)
    or ValueError("unsupported parse_mode").
    """
    mode = (parse_mode or "").lower()
    if entities:
        parsed, ents = text, [dict(e) for e in entities]
        total = utf16_len(text)
        for e in ents:
            if (
                e.get("offset", -1) < 0
                or e.get("length", 0) <= 0
                or e["offset"] + e["length"] > total
            ):
                raise EntityParseError("entity beginning or end is out of the text bounds")
    elif mode == "html":
        parsed, ents = parse_html(text)
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown modes are accepted verbatim (not validated by this fake).
        parsed, ents = text, []
    else:
        raise ValueError("unsupported parse_mode")
    return strip_formatted(parsed, ents)
