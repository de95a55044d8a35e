"""The /stats picture for the lab's manager: what happened each day over the last 30 days, and
the most frequent reasons for "no". Pure Pillow (already a dependency, for the cards); CPU-bound:
call it in a worker thread."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageDraw

from bot.cards import AMBER, BACKGROUND, GREEN, HEADER, INK, MUTED, RED, _font

WIDTH = 1000
MARGIN = 40
PANEL = 120  # height of one day-by-day panel
GAP = 26
PALETTE = (HEADER, GREEN, AMBER, RED, MUTED)


Colour = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Panel:
    """One chart: a title, and one or more day-by-day series with their labels; stacked bars
    (parts of one whole) or side by side (``stacked=False``: e.g. requests opened / answered)."""

    title: str
    series: tuple[tuple[str, Sequence[int]], ...]
    colours: tuple[Colour, ...] = PALETTE
    stacked: bool = True


def render_stats_chart(
    title: str,
    days: Sequence[date],
    panels: Sequence[Panel],
    reasons_title: str,
    reasons: Sequence[tuple[str, int]],
    scale_label: Callable[[int], str] = str,
) -> bytes:
    """A PNG: one panel per row of stacked daily bars, then the top reasons as horizontal bars.
    ``scale_label`` words a panel's largest daily value (the bars' scale)."""
    reason_rows = max(1, len(reasons))
    height = MARGIN * 2 + 50 + len(panels) * (PANEL + GAP + 30) + 40 + reason_rows * 30
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, MARGIN), title, font=_font(28, "bold"), fill=INK)
    y = MARGIN + 56
    small, label = _font(14), _font(18, "bold")
    inner = WIDTH - 2 * MARGIN
    n = max(1, len(days))
    step = inner / n
    for panel in panels:
        count = len(panel.series)
        if panel.stacked:
            totals = [sum(values[i] for _, values in panel.series) for i in range(len(days))]
        else:
            totals = [max(values[i] for _, values in panel.series) for i in range(len(days))]
        top = max(totals, default=0)
        draw.text((MARGIN, y), panel.title, font=label, fill=INK)
        x_legend = MARGIN + draw.textlength(panel.title, font=label) + 20
        for index, (name, values) in enumerate(panel.series):
            text = f"■ {name}: {sum(values)}"
            colour = panel.colours[index % len(panel.colours)]
            draw.text((x_legend, y + 3), text, font=small, fill=colour)
            x_legend += draw.textlength(text, font=small) + 16
        if top:
            scale = scale_label(top)
            draw.text(
                (WIDTH - MARGIN - draw.textlength(scale, font=small), y + 3),
                scale,
                font=small,
                fill=MUTED,
            )
        y += 28
        base = y + PANEL
        draw.line((MARGIN, base, WIDTH - MARGIN, base), fill=MUTED, width=1)
        width = (step - 4) if panel.stacked else (step - 4) / count
        for i in range(len(days)):
            bottom = base
            for index, (_, values) in enumerate(panel.series):
                value = values[i]
                if not value or not top:
                    continue
                h = max(2, round(PANEL * value / top))
                x0 = MARGIN + i * step + 2 + (0 if panel.stacked else index * width)
                colour = panel.colours[index % len(panel.colours)]
                draw.rectangle((x0, bottom - h, x0 + width - 1, bottom), fill=colour)
                if panel.stacked:
                    bottom -= h
        y = base + GAP
    if days:
        draw.text((MARGIN, y - GAP + 4), days[0].strftime("%d.%m"), font=small, fill=MUTED)
        last = days[-1].strftime("%d.%m")
        draw.text(
            (WIDTH - MARGIN - draw.textlength(last, font=small), y - GAP + 4),
            last,
            font=small,
            fill=MUTED,
        )
    y += 16
    draw.text((MARGIN, y), reasons_title, font=label, fill=INK)
    y += 30
    most = max((count for _, count in reasons), default=0)
    for name, count in reasons:
        width = (inner - 360) * count / most if most else 0
        draw.text((MARGIN, y), name[:44], font=small, fill=INK)
        draw.rectangle((MARGIN + 330, y + 2, MARGIN + 330 + max(2, width), y + 18), fill=RED)
        draw.text((MARGIN + 336 + width, y), str(count), font=small, fill=INK)
        y += 30
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
