"""Throughput of the real bot against a bare aiogram echo bot, under the same load.

Run: ``python -m benchmarks.throughput [--updates 5000] [--users 500] [--mix faq,menu,check]``

The fake Bot API server (``fake_telegram``, flood control off) runs in this process on 127.0.0.1.
The bot runs as a subprocess in polling mode (``python -m benchmarks._bot_process bot``: the normal
``bot.cli.main`` plus a loop-lag sampler); then the echo bot (``benchmarks/echo_bot.py``) runs the
same way and gets the very same updates (the bot run's actions are recorded and replayed).

M simulated users first send /start (not measured). Then, per phase, every user acts in a closed
loop (act, wait for the reply, act again) until the phase's share of the N updates is offered:
- ``faq``: free-text questions, the phrasings of ``tests/faq/labelled_questions.toml``;
- ``menu``: presses of the inline buttons the bot sent (main menu, language, FAQ list and answers),
  a random walk over the buttons on the user's latest message;
- ``check``: whole /check conversations (answers by buttons, the date typed), if the bot has /check
  (share / 10 conversations, so this phase runs fewer users at once).

Figures per phase: updates/s (first update offered → last reply received; replies are counted by a
listener on the server's events), CPU seconds per 1,000 updates of the bot process
(/proc/<pid>/stat utime+stime), peak RSS (VmHWM, reset at each phase start through
/proc/<pid>/clear_refs when the kernel allows it), loop lag p99 (the wrapper's 5 ms sampler).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fake_telegram import BotMessage, Event, FakeChat, FakeTelegramServer, SimulatedUser

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "faq" / "labelled_questions.toml"
PHASES = ("faq", "menu", "check")
TARGETS = ("bot", "echo")

#: Buttons the menu phase presses (callback_data prefixes): navigation, language, the FAQ list.
#: Conversation starters (check, certificate, support) are not menu presses.
MENU_PREFIXES = ("menu:home", "menu:language", "menu:faq", "lang:", "faql:", "faqa:")
CHECK_ANSWER = "ck:"
CHECK_AGAIN = "ckn:again"
#: Typed answers of the /check date step (real phrasings; a date is added per run).
CHECK_DATE_WORDS = ("вчера", "сегодня")

ACTION_TIMEOUT = 30.0  # one update → its reply
ANSWER_ONLY_GRACE = 10.0  # a callback answered and no message after this: counted as answer-only
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
QUIET = 0.1  # after a phase: no reply for this long = the bot is done
QUIET_MAX = 5.0
MAX_CHECK_STEPS = 25  # bound of one /check conversation
#: Updates of a typical whole /check conversation (/check, 9 answers): the phase's share of the
#: updates becomes share / this many conversations, spread over the first users.
CHECK_CONVERSATION_UPDATES = 10
ENGLISH_SHARE = 0.2  # share of users whose Telegram language is English
SECRET_KEY = "benchmark-secret-key-0123456789abcdef0123456789abcdef"
TOKEN = "123:abc"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------- results


@dataclass
class PhaseResult:
    phase: str
    target: str
    updates: int = 0
    handled: int = 0
    replies: int = 0  # messages sent or edited by the bot (listener count)
    server_replies: int = 0  # the same, counted from server.events afterwards (cross-check)
    callback_answers: int = 0
    errors: int = 0
    answer_only: int = 0  # callbacks answered without any message
    timeouts: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    rss_is_phase_peak: bool = True
    lag_p99_ms: float | None = None
    lag_samples: int = 0
    gc_pauses: int = 0
    gc_max_ms: float = 0.0
    gc_total_ms: float = 0.0
    harness_cpu_seconds: float = 0.0
    t0: float = 0.0
    t1: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.handled / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_per_1k(self) -> float:
        return self.cpu_seconds * 1000 / self.updates if self.updates else 0.0

    @property
    def harness_busy(self) -> float:
        return self.harness_cpu_seconds / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Results:
    updates: int
    users: int
    mix: tuple[str, ...]
    phases: dict[tuple[str, str], PhaseResult] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # phase → why
    notes: list[str] = field(default_factory=list)

    def get(self, phase: str, target: str) -> PhaseResult | None:
        return self.phases.get((phase, target))


# ---------------------------------------------------------------------------------- actions


@dataclass(frozen=True, slots=True)
class Action:
    kind: str  # "text" | "press"
    value: str
    need_keyboard: bool = False  # handled = a message with an inline keyboard arrived


@dataclass
class Waiter:
    future: asyncio.Future[None]
    need_keyboard: bool
    callback_id: str | None = None
    answered: bool = False
    messages: int = 0
    keyboard_message: int | None = None
    answer_only: bool = False
    error: bool = False
    grace: asyncio.TimerHandle | None = None

    def done(self) -> bool:
        if self.error:
            return True
        if self.callback_id is not None and not self.answered:
            return False
        if self.need_keyboard:
            return self.keyboard_message is not None
        return self.messages > 0


class ReplyTracker:
    """Server listener: counts the bot's replies and wakes the user waiting for them."""

    def __init__(self) -> None:
        self.waiting: dict[int, Waiter] = {}
        self.replies = 0
        self.callback_answers = 0
        self.errors = 0
        self.answer_only = 0
        self.error_samples: list[str] = []
        self.last_reply = 0.0

    def reset(self) -> None:
        self.replies = self.callback_answers = self.errors = self.answer_only = 0
        self.error_samples = []

    def __call__(self, event: Event) -> None:
        kind = event.kind
        if kind in ("sent", "edited"):
            self.replies += 1
            self.last_reply = time.monotonic()
        elif kind == "callback_answer":
            self.callback_answers += 1
            self.last_reply = time.monotonic()
        elif kind == "error":
            self.errors += 1
            if len(self.error_samples) < 5 and event.request is not None:
                self.error_samples.append(f"{event.method}: {event.request.description}")
        else:
            return
        waiter = self.waiting.get(event.chat_id) if event.chat_id is not None else None
        if waiter is None or waiter.future.done():
            return
        if kind == "error":
            waiter.error = True
        elif kind == "callback_answer":
            if event.ref == waiter.callback_id:
                waiter.answered = True
        else:
            waiter.messages += 1
            request = event.request
            if request is not None and request.params.get("reply_markup"):
                waiter.keyboard_message = event.message_id
        if waiter.done():
            self._finish(waiter)
        elif waiter.answered and waiter.messages == 0 and waiter.grace is None:
            loop = asyncio.get_running_loop()
            waiter.grace = loop.call_later(ANSWER_ONLY_GRACE, self._answer_only, waiter)

    def _finish(self, waiter: Waiter) -> None:
        if waiter.grace is not None:
            waiter.grace.cancel()
        if not waiter.future.done():
            waiter.future.set_result(None)

    def _answer_only(self, waiter: Waiter) -> None:
        if not waiter.future.done():
            waiter.answer_only = True
            self.answer_only += 1
            waiter.future.set_result(None)


def keyboard_data(message: BotMessage | None) -> list[str]:
    """callback_data of every inline button of a message, in order."""
    if message is None:
        return []
    return [
        str(button["callback_data"])
        for row in (message.reply_markup or {}).get("inline_keyboard") or []
        for button in row
        if button.get("callback_data")
    ]


def message_with_button(chat: FakeChat, data: str) -> BotMessage | None:
    for message in reversed(chat.messages):
        if data in keyboard_data(message):
            return message
    return None


def latest_keyboard(chat: FakeChat) -> BotMessage | None:
    for message in reversed(chat.messages):
        if keyboard_data(message):
            return message
    return None


def button_shape(data: str) -> str:
    """What a button does, for the probe's verdicts: ``menu:<action>``, else the prefix."""
    parts = data.split(":")
    return ":".join(parts[:2]) if parts[0] in ("menu", "lang") else parts[0]


# ---------------------------------------------------------------------------------- load


def load_questions(path: Path = LABELLED) -> dict[str, list[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pools: dict[str, list[str]] = {"ru": [], "en": []}
    for case in data["case"]:
        text = str(case["q"]).strip()
        if text and not text.startswith("/"):
            pools.setdefault(str(case.get("lang", "ru")), []).append(text)
    return pools


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class Driver:
    """Acts for the simulated users of one target's run."""

    def __init__(
        self, server: FakeTelegramServer, tracker: ReplyTracker, *, keyboards: bool = True
    ) -> None:
        self.server = server
        self.tracker = tracker
        self.keyboards = keyboards  # False (echo): any message is the reply
        self.offered = 0
        self.handled = 0
        self.timeouts = 0

    async def act(self, user: SimulatedUser, action: Action) -> Waiter:
        loop = asyncio.get_running_loop()
        waiter = Waiter(loop.create_future(), action.need_keyboard and self.keyboards)
        self.tracker.waiting[user.id] = waiter
        chat = user.chat
        if action.kind == "text":
            self.server.new_incoming_message(user.data, chat, text=action.value)
        else:
            target = message_with_button(chat, action.value) or chat.last_message
            if target is None:
                raise RuntimeError(f"user {user.id}: no message to press a button on")
            _, record = self.server.new_callback_query(user.data, target, action.value)
            waiter.callback_id = record.id
        self.offered += 1
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), ACTION_TIMEOUT)
            self.handled += 1
        except TimeoutError:
            self.timeouts += 1
        finally:
            if waiter.grace is not None:
                waiter.grace.cancel()
            if self.tracker.waiting.get(user.id) is waiter:
                del self.tracker.waiting[user.id]
        return waiter


@dataclass
class Plan:
    """Everything both targets share: users, questions, the bot run's recorded actions."""

    updates: int
    users: int
    mix: tuple[str, ...]
    seed: int = 7
    languages: dict[int, str] = field(default_factory=dict)
    questions: dict[str, list[str]] = field(default_factory=dict)
    budgets: dict[str, dict[int, int]] = field(default_factory=dict)
    recorded: dict[str, dict[int, list[Action]]] = field(default_factory=dict)
    menu_ok: set[str] = field(default_factory=set)  # button shapes that answer with a message
    check_available: bool = False
    date_texts: tuple[str, ...] = ()

    @classmethod
    def build(cls, updates: int, users: int, mix: Sequence[str], seed: int = 7) -> Plan:
        plan = cls(updates=updates, users=users, mix=tuple(mix), seed=seed)
        rng = random.Random(seed)
        for uid in user_ids(users):
            plan.languages[uid] = "en" if rng.random() < ENGLISH_SHARE else "ru"
        plan.questions = load_questions()
        for phase, share in zip(plan.mix, split(updates, len(plan.mix)), strict=True):
            if phase == "check":  # budgets in whole conversations
                share = max(1, round(share / CHECK_CONVERSATION_UPDATES))
            per_user = split(share, users)
            plan.budgets[phase] = dict(zip(user_ids(users), per_user, strict=True))
            plan.recorded[phase] = {}
        today = date.today()
        plan.date_texts = (
            *CHECK_DATE_WORDS,
            (today - timedelta(days=20)).strftime("%d.%m.%Y"),
            (today - timedelta(days=75)).strftime("%d.%m.%Y"),
        )
        return plan


def user_ids(users: int) -> list[int]:
    return [200_000 + i for i in range(users)]


PROBE_USER = 199_999


# ---------------------------------------------------------------------------------- the process


def _proc_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime, stime are fields 14, 15
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def _proc_hwm_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as file:
        for line in file:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_hwm(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as file:
            file.write("5")
        return True
    except OSError:
        return False


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


class BotProcess:
    def __init__(
        self, target: str, server: FakeTelegramServer, workdir: Path, profile: str | None = None
    ) -> None:
        self.target = target
        self.server = server
        self.workdir = workdir
        self.profile = profile
        self.extra_env: dict[str, str] = {}
        self.stats_file = workdir / f"{target}-stats.json"
        self.log_file = workdir / f"{target}.log"
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self) -> None:
        env = dict(os.environ)
        env.update(
            BOT_TOKEN=TOKEN,
            SECRET_KEY=SECRET_KEY,
            TELEGRAM_API_URL=self.server.base_url,
            DATABASE_PATH=str(self.workdir / f"{self.target}.sqlite3"),
            LOG_LEVEL="WARNING",
            # what is measured is the bot's own capacity, not Telegram's send limits (about 30
            # messages a second: benchmarks.burst measures those) nor the slowing of one person
            SEND_RATE_PER_SECOND="1000",
            SEND_PER_CHAT_PER_SECOND="1000",
            FLOOD_BURST="1000000",
            WEBHOOK_URL="",
            FSM_STORAGE="sqlite",
            BENCH_STATS_FILE=str(self.stats_file),
            PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        )
        env.update(self.extra_env)
        env.pop("BENCH_PROFILE", None)
        if self.profile:
            env["BENCH_PROFILE"] = self.profile
        log = open(self.log_file, "wb")  # noqa: ASYNC230 - once, before the run; closed in stop()
        self._log = log
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks._bot_process",
            self.target,
            cwd=str(self.workdir),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        polling = asyncio.create_task(self.server.wait_polling(timeout=START_TIMEOUT))
        exited = asyncio.create_task(self.proc.wait())
        done, _ = await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
        if exited in done:
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError, AssertionError):
                await polling
            raise RuntimeError(f"{self.target} exited at start:\n{self.log_tail()}")
        exited.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await exited
        polling.result()

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    async def stop(self) -> dict[str, Any]:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT * (4 if self.profile else 1))
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self._log.close()
        try:
            stats: dict[str, Any] = json.loads(self.stats_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stats = {"lag": []}
        return stats


# ---------------------------------------------------------------------------------- a target's run


class Run:
    def __init__(
        self,
        plan: Plan,
        target: str,
        server: FakeTelegramServer,
        process: BotProcess,
        results: Results,
    ) -> None:
        self.plan = plan
        self.target = target
        self.server = server
        self.process = process
        self.results = results
        self.tracker = ReplyTracker()
        self.driver = Driver(server, tracker=self.tracker, keyboards=target == "bot")
        server.listeners.append(self.tracker)
        self.users = {
            uid: server.user(uid, f"User{uid}", language_code=plan.languages[uid], started=True)
            for uid in user_ids(plan.users)
        }

    async def everyone(self, script: Callable[[SimulatedUser], Any]) -> None:
        await asyncio.gather(*(script(user) for user in self.users.values()))

    async def setup(self) -> None:
        async def start(user: SimulatedUser) -> None:
            await self.driver.act(user, Action("text", "/start", need_keyboard=True))

        await self.everyone(start)
        if self.driver.timeouts:
            raise RuntimeError(
                f"{self.target}: /start went unanswered for "
                f"{self.driver.timeouts} user(s)\n{self.process.log_tail()}"
            )

    async def probe(self) -> None:
        """Bot run only: which menu buttons answer with a message; is there /check."""
        user = self.server.user(PROBE_USER, "Probe", language_code="ru", started=True)
        await self.driver.act(user, Action("text", "/start", need_keyboard=True))
        seen: set[str] = set()
        queue = [d for d in keyboard_data(user.chat.last_message) if d.startswith(MENU_PREFIXES)]
        verdicts: dict[str, bool] = {}
        presses = 0
        while queue and presses < 60:
            data = queue.pop(0)
            if data in seen or data == "lang:en":
                continue
            seen.add(data)
            presses += 1
            waiter = await self.driver.act(user, Action("press", data))
            ok = not waiter.answer_only and not waiter.error and waiter.future.done()
            shape = button_shape(data)
            verdicts[shape] = verdicts.get(shape, True) and ok
            for message in user.chat.messages[-3:]:
                queue.extend(
                    d
                    for d in keyboard_data(message)
                    if d.startswith(MENU_PREFIXES) and d not in seen
                )
        self.plan.menu_ok = {shape for shape, ok in verdicts.items() if ok}
        waiter = await self.driver.act(user, Action("text", "/check", need_keyboard=True))
        last = user.chat.find(waiter.keyboard_message) if waiter.keyboard_message else None
        self.plan.check_available = any(d.startswith(CHECK_ANSWER) for d in keyboard_data(last))
        if self.plan.check_available:
            await self.driver.act(user, Action("text", "/cancel"))
        self.driver.offered = self.driver.handled = self.driver.timeouts = 0

    # -- the phases --------------------------------------------------------------------------
    async def faq_user(self, user: SimulatedUser) -> None:
        budget = self.plan.budgets["faq"][user.id]
        rng = random.Random(self.plan.seed * 1_000_003 + user.id)
        pool = self.plan.questions.get(self.plan.languages[user.id]) or self.plan.questions["ru"]
        for _ in range(budget):
            await self.driver.act(user, Action("text", rng.choice(pool)))

    async def menu_user(self, user: SimulatedUser) -> None:
        budget = self.plan.budgets["menu"][user.id]
        recorded = self.plan.recorded["menu"]
        if self.target != "bot":
            for action in recorded.get(user.id, []):
                await self.driver.act(user, action)
            return
        rng = random.Random(self.plan.seed * 7_000_003 + user.id)
        own = f"lang:{self.plan.languages[user.id]}"
        actions = recorded.setdefault(user.id, [])
        for _ in range(budget):
            candidates = [
                d
                for d in keyboard_data(latest_keyboard(user.chat))
                if d.startswith(MENU_PREFIXES)
                and button_shape(d) in self.plan.menu_ok
                and (not d.startswith("lang:") or d == own)
            ]
            data = rng.choice(candidates) if candidates else "menu:home"
            action = Action("press", data)
            actions.append(action)
            await self.driver.act(user, action)

    async def check_user(self, user: SimulatedUser) -> None:
        conversations = self.plan.budgets["check"][user.id]
        recorded = self.plan.recorded["check"]
        if self.target != "bot":
            for action in recorded.get(user.id, []):
                await self.driver.act(user, action)
            return
        rng = random.Random(self.plan.seed * 9_000_011 + user.id)
        actions = recorded.setdefault(user.id, [])

        async def do(action: Action) -> Waiter:
            actions.append(action)
            return await self.driver.act(user, action)

        for _ in range(conversations):
            waiter = await do(Action("text", "/check", need_keyboard=True))
            for _ in range(MAX_CHECK_STEPS):
                if waiter.keyboard_message is None:
                    break
                message = user.chat.find(waiter.keyboard_message)
                data = keyboard_data(message)
                if CHECK_AGAIN in data:
                    break  # the verdict
                answers = [d for d in data if d.startswith(CHECK_ANSWER)]
                if answers:
                    choice = self._check_answer(answers, rng)
                    waiter = await do(Action("press", choice, need_keyboard=True))
                elif any(d.startswith("ckn:") for d in data):
                    waiter = await do(
                        Action("text", rng.choice(self.plan.date_texts), need_keyboard=True)
                    )
                else:
                    break

    @staticmethod
    def _check_answer(answers: list[str], rng: random.Random) -> str:
        """Mostly the answers of someone who can get the certificate; sometimes anything."""
        preferred = (
            "ck:test:igg",
            "ck:measure:qualitative",
            "ck:result:positive",
            "ck:accredited:yes",
            "ck:epgu:yes",
            "ck:vaccination:no",
            "ck:recovery:no",
            "ck:issued:no",
        )
        likely = [a for a in answers if a in preferred]
        if likely and rng.random() < 0.8:
            return likely[0]
        return rng.choice([a for a in answers if not a.endswith(":pcr")] or answers)

    async def phase(self, name: str) -> PhaseResult:
        script = {"faq": self.faq_user, "menu": self.menu_user, "check": self.check_user}[name]
        result = PhaseResult(phase=name, target=self.target)
        pid = self.process.pid
        self.tracker.reset()
        self.driver.offered = self.driver.handled = self.driver.timeouts = 0
        result.rss_is_phase_peak = _reset_hwm(pid)
        seq0 = self.server._seq
        cpu0 = _proc_cpu_seconds(pid)
        harness0 = time.process_time()
        result.t0 = t0 = time.monotonic()
        await self.everyone(script)
        # the last reply: wait until nothing more comes (a reply may have more than one message)
        deadline = time.monotonic() + QUIET_MAX
        while time.monotonic() < deadline:
            if time.monotonic() - max(self.tracker.last_reply, t0) >= QUIET:
                break
            await asyncio.sleep(QUIET / 4)
        result.t1 = t1 = max(self.tracker.last_reply, t0)
        result.cpu_seconds = _proc_cpu_seconds(pid) - cpu0
        result.harness_cpu_seconds = time.process_time() - harness0
        result.peak_rss_mb = _proc_hwm_mb(pid)
        result.seconds = t1 - t0
        result.updates = self.driver.offered
        result.handled = self.driver.handled
        result.timeouts = self.driver.timeouts
        result.replies = self.tracker.replies
        result.callback_answers = self.tracker.callback_answers
        result.errors = self.tracker.errors
        result.answer_only = self.tracker.answer_only
        result.error_samples = list(self.tracker.error_samples)
        result.server_replies = sum(
            1 for e in self.server.events if e.seq > seq0 and e.kind in ("sent", "edited")
        )
        return result


class Target:
    """One bot process with its own fake server, users and counters."""

    def __init__(self, plan: Plan, name: str, workdir: Path, profile: str | None) -> None:
        self.plan = plan
        self.name = name
        self.workdir = workdir
        self.profile = profile
        self.stack = contextlib.AsyncExitStack()
        self.run: Run | None = None
        self.process: BotProcess | None = None
        self.phase_results: list[PhaseResult] = []

    async def start(self, results: Results) -> None:
        server = await self.stack.enter_async_context(
            FakeTelegramServer(bot_username=f"{self.name}_bench_bot")
        )
        server.no_flood_limit()
        self.process = BotProcess(self.name, server, self.workdir, self.profile)
        await self.process.start()
        self.run = Run(self.plan, self.name, server, self.process, results)
        await self.run.setup()

    async def stop(self, results: Results) -> None:
        stats: dict[str, Any] = {}
        try:
            if self.process is not None and self.process.proc is not None:
                stats = await self.process.stop()
        finally:
            await self.stack.aclose()
        samples: list[list[float]] = stats.get("lag", [])
        for result in self.phase_results:
            lags = [lag for t, lag in samples if result.t0 <= t <= result.t1]
            result.lag_samples = len(lags)
            result.lag_p99_ms = _percentile(lags, 0.99) * 1000 if lags else None
            pauses = [p for t, _, p in stats.get("gc", []) if result.t0 <= t <= result.t1]
            result.gc_pauses = len(pauses)
            result.gc_max_ms = max(pauses, default=0.0) * 1000
            result.gc_total_ms = sum(pauses) * 1000
            results.phases[(result.phase, self.name)] = result
        proc = self.process.proc if self.process else None
        if proc is not None and proc.returncode not in (0, None):
            results.notes.append(
                f"{self.name} exited with {proc.returncode}: "
                f"{self.process.log_tail(5) if self.process else ''}"
            )


async def run(
    updates: int = 5000,
    users: int = 500,
    mix: Sequence[str] = PHASES,
    *,
    targets: Sequence[str] = TARGETS,
    profile: str | None = None,
    log: Callable[[str], None] = print,
) -> Results:
    """Both processes start together (aiogram's import is slow); then, phase by phase, the bot
    and right after it the echo bot get the same updates (interleaved: both figures of a phase
    are taken under the same machine conditions)."""
    for name in mix:
        if name not in PHASES:
            raise ValueError(f"unknown phase {name!r} (known: {', '.join(PHASES)})")
    if "bot" not in targets:
        raise ValueError("the echo run replays the bot run's actions: run the bot too")
    plan = Plan.build(updates, users, mix)
    results = Results(updates=updates, users=users, mix=tuple(mix))
    with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
        runs = [
            Target(plan, name, Path(tmp), profile if name == "bot" else None)
            for name in TARGETS
            if name in targets
        ]
        try:
            log("  starting " + " and ".join(t.name for t in runs) + " ...")
            await asyncio.gather(*(t.start(results) for t in runs))
            bot_run = runs[0].run
            assert bot_run is not None
            await bot_run.probe()
            for name in plan.mix:
                if name == "check" and not plan.check_available:
                    results.skipped[name] = "the bot has no /check conversation (yet)"
                    continue
                for target in runs:
                    assert target.run is not None
                    log(f"  {target.name}: {name} ...")
                    target.phase_results.append(await target.run.phase(name))
        finally:
            for target in runs:
                await target.stop(results)
    return results


# ---------------------------------------------------------------------------------- report

GOALS = {"faq": 0.70, "check": 0.50}
RSS_LIMIT_MB = 150.0
LAG_LIMIT_MS = 20.0


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(results: Results) -> str:
    header = (
        f"{'phase':<6} {'run':<9} {'updates':>7} {'replies':>7} {'updates/s':>10} "
        f"{'CPU s/1k':>9} {'peak RSS MB':>11} {'lag p99 ms':>10} {'harness CPU':>11}"
    )
    lines = [header, "-" * len(header)]
    for phase in results.mix:
        if phase in results.skipped:
            lines.append(f"{phase:<6} skipped: {results.skipped[phase]}")
            continue
        bot, echo = results.get(phase, "bot"), results.get(phase, "echo")
        for r in (bot, echo):
            if r is None:
                continue
            lines.append(
                f"{phase:<6} {r.target:<9} {r.updates:>7} {r.replies:>7} {r.rate:>10.0f} "
                f"{r.cpu_per_1k:>9.2f} {r.peak_rss_mb:>11.1f} {_fmt(r.lag_p99_ms):>10} "
                f"{r.harness_busy:>10.0%}"
            )
        if bot and echo:
            lag = (
                None
                if bot.lag_p99_ms is None or not echo.lag_p99_ms
                else bot.lag_p99_ms / echo.lag_p99_ms
            )
            lines.append(
                f"{phase:<6} {'bot/echo':<9} {'':>7} {'':>7} "
                f"{bot.rate / echo.rate if echo.rate else 0:>10.2f} "
                f"{bot.cpu_per_1k / echo.cpu_per_1k if echo.cpu_per_1k else 0:>9.2f} "
                f"{bot.peak_rss_mb / echo.peak_rss_mb if echo.peak_rss_mb else 0:>11.2f} "
                f"{_fmt(lag, 2):>10}"
            )
    return "\n".join(lines)


def goals(results: Results) -> list[str]:
    lines = []
    for phase, share in GOALS.items():
        bot, echo = results.get(phase, "bot"), results.get(phase, "echo")
        if bot and echo and echo.rate:
            ratio = bot.rate / echo.rate
            verdict = "ok" if ratio >= share else "MISSED"
            lines.append(f"{phase} rate ≥ {share:.0%} of echo: {ratio:.0%} {verdict}")
    bots = [r for (_, target), r in results.phases.items() if target == "bot"]
    if bots:
        rss = max(r.peak_rss_mb for r in bots)
        lines.append(
            f"peak RSS < {RSS_LIMIT_MB:.0f} MB: {rss:.1f} "
            f"{'ok' if rss < RSS_LIMIT_MB else 'MISSED'}"
        )
        lags = [r.lag_p99_ms for r in bots if r.lag_p99_ms is not None]
        if lags:
            lag = max(lags)
            lines.append(
                f"loop lag p99 ≤ {LAG_LIMIT_MS:.0f} ms: {lag:.1f} "
                f"{'ok' if lag <= LAG_LIMIT_MS else 'MISSED'}"
            )
    return lines


def problems(results: Results) -> list[str]:
    lines = []
    for r in results.phases.values():
        if r.timeouts or r.errors or r.answer_only or r.replies != r.server_replies:
            lines.append(
                f"{r.phase}/{r.target}: timeouts={r.timeouts} errors={r.errors} "
                f"answer-only={r.answer_only} replies={r.replies}/{r.server_replies} "
                f"{'; '.join(r.error_samples)}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.throughput",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument(
        "--updates",
        type=int,
        default=5000,
        help="updates in all, split evenly between the phases (default 5000)",
    )
    parser.add_argument("--users", type=int, default=500, help="simulated users (default 500)")
    parser.add_argument(
        "--mix", default=",".join(PHASES), help="phases, in order: faq,menu,check (default all)"
    )
    parser.add_argument("--bot-only", action="store_true", help="skip the echo reference")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the bot process with pyinstrument (.txt or .html)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    mix = tuple(p.strip() for p in args.mix.split(",") if p.strip())
    targets = ("bot",) if args.bot_only else TARGETS
    print(
        f"throughput: {args.updates} updates, {args.users} users, phases {','.join(mix)}; "
        f"{os.cpu_count()} CPU(s)"
    )
    started = time.monotonic()
    results = asyncio.run(
        run(
            args.updates,
            args.users,
            mix,
            targets=targets,
            profile=os.path.abspath(args.profile) if args.profile else None,
        )
    )
    print()
    print(table(results))
    print()
    for line in goals(results):
        print("  " + line)
    for line in problems(results) + results.notes:
        print("  ! " + line)
    print(
        "  gc pauses (count, max ms, total ms): "
        + "; ".join(
            f"{phase}/{target} {r.gc_pauses}, {r.gc_max_ms:.0f}, {r.gc_total_ms:.0f}"
            for (phase, target), r in results.phases.items()
        )
    )
    print(
        f"\n(run took {time.monotonic() - started:.0f} s; harness CPU = this process, the fake "
        "Bot API server's share of a core: near 100% means the figures are the server's limit)"
    )
    if args.json:
        payload = {
            f"{phase}/{target}": {**vars(r), "rate": r.rate, "cpu_per_1k": r.cpu_per_1k}
            for (phase, target), r in results.phases.items()
        }
        Path(args.json).write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return 1 if problems(results) else 0


if __name__ == "__main__":
    sys.exit(main())
