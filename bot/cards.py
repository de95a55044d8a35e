"""The certificate card: a PNG with a scannable QR code, the holder's name and the dates.

Pure rendering (Pillow + segno): no aiogram, no I/O besides finding a font once. CPU-bound — call
`render_card` through `asyncio.to_thread` from handlers. Every word on the card comes in through
`CardLabels` (built from the locales by the caller).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from domain import Validity, ValidityStatus, format_date

__all__ = ["CardLabels", "find_font_path", "render_card"]

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}

WIDTH = 800
MARGIN = 48
QR_TARGET = 520  # px, the QR code's side including its quiet zone
QR_BORDER = 4  # modules of quiet zone (the standard's minimum)

BACKGROUND = (255, 255, 255)
INK = (33, 37, 41)
MUTED = (108, 117, 125)
HEADER = (13, 71, 161)
GREEN = (46, 125, 50)
RED = (198, 40, 40)
AMBER = (239, 108, 0)

ImageFontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True, slots=True)
class CardLabels:
    """The card's words in the user's language (plain text, not HTML)."""

    title: str  # "Сертификат: антитела IgG к COVID-19"
    valid_from: str  # "Действует с"
    valid_until: str  # "Действует до"
    expired: str  # "Срок действия истёк"
    not_yet: str  # "Ещё не действует"
    days_left: Callable[[int], str]  # 12 → "Осталось 12 дней"
    footer: str = ""  # a short note under the QR code


_font_lock = threading.Lock()
_font_paths: dict[str, Path | None] = {}


def find_font_path(weight: str = "regular") -> Path | None:
    """DejaVu Sans (has Cyrillic) if installed; looked up once per process."""
    with _font_lock:
        if weight not in _font_paths:
            name = FONT_FILES[weight]
            _font_paths[weight] = next(
                (folder / name for folder in FONT_DIRS if (folder / name).is_file()), None
            )
        return _font_paths[weight]


@lru_cache(maxsize=32)
def _font(size: int, weight: str = "regular") -> ImageFontType:
    path = find_font_path(weight) or find_font_path("regular")
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _text_width(draw: ImageDraw.ImageDraw, text: str, font: ImageFontType) -> float:
    return draw.textlength(text, font=font)


def _fit_lines(
    draw: ImageDraw.ImageDraw,
    text: str,
    width: int,
    *,
    largest: int,
    smallest: int,
    weight: str = "regular",
) -> tuple[list[str], ImageFontType]:
    """One line in the largest size that fits; else word-wrapped at the smallest size."""
    for size in range(largest, smallest - 1, -2):
        font = _font(size, weight)
        if _text_width(draw, text, font) <= width:
            return [text], font
    font = _font(smallest, weight)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if _text_width(draw, candidate, font) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
        while _text_width(draw, current, font) > width and len(current) > 1:
            # a single word longer than the line: hard-break it
            cut = len(current)
            while cut > 1 and _text_width(draw, current[:cut], font) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines, font


def _line_height(font: ImageFontType) -> int:
    top, bottom = font.getbbox("ЁgЙ|")[1::2]
    return int(bottom - top) + 8


def _qr_image(payload: str) -> Image.Image:
    qr = segno.make(payload, error="m", micro=False)
    side_modules = qr.symbol_size(scale=1, border=QR_BORDER)[0]
    scale = max(4, QR_TARGET // side_modules)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=QR_BORDER, dark="black", light="white")
    buffer.seek(0)
    with Image.open(buffer) as image:
        return image.convert("RGB")


def render_card(
    holder_name: str,
    starts_on: date,
    expires_on: date,
    today: date,
    qr_payload: str,
    labels: CardLabels,
) -> bytes:
    """The card as PNG bytes. ``holder_name`` is drawn as plain text (never interpreted)."""
    validity = Validity(starts_on=starts_on, expires_on=expires_on)
    status = validity.status(today)
    if status is ValidityStatus.VALID:
        status_text, status_color = labels.days_left(validity.days_left(today)), GREEN
    elif status is ValidityStatus.EXPIRED:
        status_text, status_color = labels.expired, RED
    else:
        status_text, status_color = labels.not_yet, AMBER

    qr = _qr_image(qr_payload)
    scratch = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    inner = WIDTH - 2 * MARGIN
    title_lines, title_font = _fit_lines(
        scratch, labels.title, inner, largest=30, smallest=20, weight="bold"
    )
    name_lines, name_font = _fit_lines(
        scratch, holder_name, inner, largest=44, smallest=24, weight="bold"
    )
    body_font = _font(28)
    status_lines, status_font = _fit_lines(
        scratch, status_text, inner, largest=34, smallest=22, weight="bold"
    )
    footer_lines, footer_font = (
        _fit_lines(scratch, labels.footer, inner, largest=20, smallest=16)
        if labels.footer
        else ([], _font(20))
    )
    dates = [
        f"{labels.valid_from}: {format_date(starts_on)}",
        f"{labels.valid_until}: {format_date(expires_on)}",
    ]

    header_h = MARGIN + len(title_lines) * _line_height(title_font) + 16
    height = (
        header_h
        + 24
        + len(name_lines) * _line_height(name_font)
        + 16
        + len(dates) * _line_height(body_font)
        + 16
        + len(status_lines) * _line_height(status_font)
        + 16
        + max(qr.width, 1)
        + 16
        + len(footer_lines) * _line_height(footer_font)
        + MARGIN
    )
    width = max(WIDTH, qr.width + 2 * MARGIN)
    card = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, width, header_h), fill=HEADER)

    y = MARGIN
    for line in title_lines:
        draw.text((MARGIN, y), line, font=title_font, fill=BACKGROUND)
        y += _line_height(title_font)
    y = header_h + 24
    for line in name_lines:
        draw.text((MARGIN, y), line, font=name_font, fill=INK)
        y += _line_height(name_font)
    y += 16
    for line in dates:
        draw.text((MARGIN, y), line, font=body_font, fill=INK)
        y += _line_height(body_font)
    y += 16
    for line in status_lines:
        draw.text((MARGIN, y), line, font=status_font, fill=status_color)
        y += _line_height(status_font)
    y += 16
    card.paste(qr, ((width - qr.width) // 2, y))
    y += qr.height + 16
    for line in footer_lines:
        line_w = _text_width(draw, line, footer_font)
        draw.text(((width - line_w) / 2, y), line, font=footer_font, fill=MUTED)
        y += _line_height(footer_font)

    out = io.BytesIO()
    card.save(out, format="PNG", optimize=False)
    return out.getvalue()
