"""A crowd against Telegram's send limits: ``python -m benchmarks.burst``.

N first-time users (``--users``, default 2,000) each ask one FAQ question at a random moment within
``--within`` seconds (default 10). The bot runs as a subprocess in polling mode (the real
``python -m bot run``) against the project's fake Bot API with Telegram's limits switched on (30
messages a second per bot, a burst of 3 then one a second per private chat, 20 a minute per group;
every violation is a 429 with ``retry_after``). Options:

* ``--broadcast M``: an admin's /broadcast to M more users (default 0; the issue's case is 5,000)
  is confirmed just before the crowd comes;
* ``--flood K``: one more user sends K messages at once at the start (default 100; 0 = none).

Printed: users answered, the time to the last answer against the physical floor N/30 s, the wait
for a reply (p50/p95/max, from the user's message to the reply reaching the API), 429s against
sends, sends inside an announced ``retry_after`` window, the flooder's messages answered, and the
bot process's peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.throughput import BotProcess, _percentile, _proc_hwm_mb, load_questions
from bot.clock import Clock
from bot.factory import open_app
from fake_telegram import FakeTelegramServer
from tests.conftest import make_settings

ADMIN = 1
FLOODER = 2
FIRST_USER = 100_000
FIRST_RECIPIENT = 500_000


async def prepare_database(workdir: Path, recipients: list[int]) -> None:
    settings = make_settings(workdir, database_path=workdir / "bot.sqlite3")
    clock = Clock(settings.zone)
    async with open_app(settings, clock=clock) as app:
        now = clock.now()
        await app.repo.users.touch(ADMIN, now)
        for uid in recipients:
            await app.repo.users.touch(uid, now)


async def run(users: int, within: float, broadcast: int, flood: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    questions = [q for qs in load_questions().values() for q in qs] or ["как получить qr-код"]
    workdir = Path(tempfile.mkdtemp(prefix="burst-"))
    recipients = list(range(FIRST_RECIPIENT, FIRST_RECIPIENT + broadcast))
    await prepare_database(workdir, recipients)
    os.environ.update(ADMIN_IDS=str(ADMIN), LOG_LEVEL="WARNING")
    async with FakeTelegramServer(bot_username="antibody_burst_bot") as server:
        admin = server.user(ADMIN, "Admin", language_code="en", started=True)
        for uid in recipients:
            server.user(uid, f"R{uid}", started=True)
        people = [server.user(FIRST_USER + i, f"U{i}", started=True) for i in range(users)]
        flooder = server.user(FLOODER, "Flood", started=True)
        server.flood_limit(per_second=30, per_chat_per_second=1, per_group_per_minute=20)
        bot = BotProcess("bot", server, workdir)  # its database: workdir / "bot.sqlite3"
        bot.extra_env = {  # Telegram's limits as the bot applies them by default (bot/config.py)
            "LOG_LEVEL": "INFO",  # for the outbound path's figures at the stop
            "SEND_RATE_PER_SECOND": "28",
            "SEND_PER_CHAT_PER_SECOND": "1",
            "FLOOD_BURST": "10",
        }
        await bot.start()
        try:
            if broadcast:
                await admin.send("/broadcast Лаборатория работает в субботу до 14:00", timeout=60)
                await admin.click("📣 Send", timeout=60)
            asked: dict[int, float] = {}
            start = time.time()
            moments = sorted((rng.uniform(0, within), person) for person in people)
            for index in range(flood):
                server.new_incoming_message(flooder.data, flooder.chat, text=f"спам {index}")
            for moment, person in moments:
                delay = start + moment - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                asked[person.id] = time.time()
                server.new_incoming_message(person.data, person.chat, text=rng.choice(questions))
            deadline = start + within + users / 30 * 3 + 60
            answered: dict[int, float] = {}
            while time.time() < deadline:
                for request in server.requests:
                    chat = request.chat_id
                    if chat in asked and chat not in answered and request.ok:
                        if request.method.lower() == "sendmessage":
                            answered[chat] = request.time
                if len(answered) == len(asked):
                    break
                await asyncio.sleep(0.5)
            peak_mb = _proc_hwm_mb(bot.pid)
        finally:
            await bot.stop()
        outbound = next(
            (
                line.split("outbound: ", 1)[1]
                for line in bot.log_tail(200).splitlines()
                if "outbound: " in line
            ),
            "(not logged)",
        )
        waits = [answered[uid] - asked[uid] for uid in answered]
        sends = sum(
            1 for r in server.requests if r.method.lower() in ("sendmessage", "editmessagetext")
        )
        broadcast_done = sum(1 for uid in recipients if any(m.text for m in server.sent_to(uid)))
        flood_answers = len(server.sent_to(FLOODER))
        last = max(answered.values()) - start if answered else float("nan")
        return {
            "users": users,
            "answered": len(answered),
            "last_answer_s": last,
            "floor_s": max(users / 30, within),
            "wait_p50": _percentile(waits, 0.5) if waits else float("nan"),
            "wait_p95": _percentile(waits, 0.95) if waits else float("nan"),
            "wait_max": max(waits) if waits else float("nan"),
            "sends": sends,
            "429s": server.stats.flood_429,
            "inside_retry_after": server.stats.sends_during_retry_after,
            "broadcast": broadcast,
            "broadcast_delivered": broadcast_done,
            "flood": flood,
            "flood_messages_answered": flood_answers,
            "peak_rss_mb": peak_mb,
            "outbound": outbound,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--within", type=float, default=10.0)
    parser.add_argument("--broadcast", type=int, default=0)
    parser.add_argument("--flood", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.users, args.within, args.broadcast, args.flood, args.seed))
    users = result["users"]
    print(f"users answered          {result['answered']:.0f} of {users:.0f}")
    print(
        f"last answer             {result['last_answer_s']:.1f} s"
        f" (floor max(N/30, the last question) = {result['floor_s']:.1f} s;"
        f" ratio {result['last_answer_s'] / result['floor_s']:.2f}, goal <= 1.15)"
    )
    print(
        f"reply wait              p50 {result['wait_p50']:.2f} s, p95 {result['wait_p95']:.2f} s,"
        f" max {result['wait_max']:.2f} s"
    )
    share = result["429s"] / max(1, result["sends"]) * 100
    print(
        f"429s                    {result['429s']:.0f} of {result['sends']:.0f} sends"
        f" ({share:.2f}%)"
    )
    print(f"sends in a retry_after  {result['inside_retry_after']:.0f}")
    if result["broadcast"]:
        print(
            f"broadcast delivered     {result['broadcast_delivered']:.0f} of"
            f" {result['broadcast']:.0f} by the end of the crowd"
        )
    if result["flood"]:
        print(
            f"flooder                 {result['flood']:.0f} messages sent,"
            f" {result['flood_messages_answered']:.0f} bot messages back"
        )
    print(f"bot peak memory         {result['peak_rss_mb']:.0f} MB RSS")
    print(f"the bot's outbound path {result['outbound']}")
    return 0 if result["answered"] == users else 1


if __name__ == "__main__":
    sys.exit(main())
