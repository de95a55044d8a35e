"""/stats as a picture: the last 30 days from the database, drawn off the event loop."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.cards import AMBER, GREEN, RED
from bot.clock import Clock
from bot.i18n import Translator
from bot.stats_chart import Panel, render_stats_chart
from bot.tickets import readable_code
from domain import format_date
from storage import Repositories

DAYS = 30


async def stats_picture(repo: Repositories, clock: Clock, t: Translator) -> bytes:
    last = clock.now().date()  # UTC: the days the database counts in
    first = last - timedelta(days=DAYS - 1)
    daily = await repo.activity.daily(first, last)
    reasons = (await repo.checks.stats(since=clock.now() - timedelta(days=DAYS))).by_reason
    panels = [
        Panel(t("staff-chart-questions"), ((t("staff-chart-asked"), daily["questions"]),)),
        Panel(
            t("staff-chart-checks"),
            tuple(
                (readable_code(outcome, t), daily[f"checks_{outcome}"])
                for outcome in ("eligible", "uncertain", "not_eligible")
            ),
            colours=(GREEN, AMBER, RED),
        ),
        Panel(t("staff-chart-certificates"), ((t("staff-chart-saved"), daily["certificates"]),)),
        Panel(t("staff-chart-reminders"), ((t("staff-chart-sent"), daily["reminders"]),)),
        Panel(
            t("staff-chart-tickets"),
            (
                (t("staff-chart-opened"), daily["tickets_opened"]),
                (t("staff-chart-answered"), daily["tickets_answered"]),
            ),
            stacked=False,
        ),
    ]
    days = [first + timedelta(days=i) for i in range(DAYS)]
    top = [(readable_code(code, t), n) for code, n in list(reasons.items())[:8]]
    title = t("staff-chart-title", first=format_date(first), last=format_date(last))
    return await asyncio.to_thread(
        render_stats_chart,
        title,
        days,
        panels,
        t("staff-chart-reasons"),
        top,
        lambda most: t("staff-chart-scale", count=most),
    )
