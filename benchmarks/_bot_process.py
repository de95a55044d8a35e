"""What the throughput benchmark measures: the real bot (or the echo bot) plus a loop-lag sampler.

``python -m benchmarks._bot_process bot|echo``. Nothing here is part of the bot's runtime: the
sampler is attached from the outside through the event-loop policy (``asyncio.run`` creates its
loop with ``new_event_loop()``), then the bot's normal entry ``bot.cli.main`` (or the echo bot)
runs unchanged.

Environment:
- ``BENCH_STATS_FILE`` — where to write the samples on exit (JSON: ``{"lag": [[t, lag_s], ...],
  "gc": [[t, generation, pause_s], ...]}``, ``t`` = ``time.monotonic()``, comparable with the
  benchmark process on Linux);
- ``BENCH_PROFILE`` — if set, profile the run (after the imports) and write the report there:
  ``*.prof`` → cProfile on CPU time (pstats), ``*.html`` → pyinstrument HTML, else its text.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import time
from typing import Any

LAG_PERIOD = 0.005

_samples: list[tuple[float, float]] = []
_gc_pauses: list[tuple[float, int, float]] = []  # (t, generation, seconds)
_gc_started = 0.0


def _gc_callback(phase: str, info: dict[str, Any]) -> None:
    global _gc_started
    if phase == "start":
        _gc_started = time.perf_counter()
    else:
        _gc_pauses.append(
            (time.monotonic(), int(info["generation"]), time.perf_counter() - _gc_started)
        )


async def _sample_lag() -> None:
    """Sleep 5 ms again and again; record how late each wake-up is."""
    loop = asyncio.get_running_loop()
    while True:
        start = loop.time()
        await asyncio.sleep(LAG_PERIOD)
        now = loop.time()
        _samples.append((time.monotonic(), max(0.0, now - start - LAG_PERIOD)))


class _LagPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = super().new_event_loop()
        tasks: list[asyncio.Task[Any]] = []
        loop.call_soon(lambda: tasks.append(loop.create_task(_sample_lag())))
        return loop


def _write_stats(path: str) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as file:
        json.dump({"lag": _samples, "period": LAG_PERIOD, "gc": _gc_pauses}, file)
    os.replace(tmp, path)


def _run(target: str) -> int:
    if target == "echo":
        from benchmarks.echo_bot import main as echo_main

        return echo_main()
    from bot.cli import main as bot_main

    return bot_main(["run"])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = args[0] if args else "bot"
    if target not in ("bot", "echo"):
        print(f"unknown target {target!r} (bot|echo)", file=sys.stderr)
        return 2
    asyncio.set_event_loop_policy(_LagPolicy())
    gc.callbacks.append(_gc_callback)
    profile_path = os.environ.get("BENCH_PROFILE")
    profiler: Any = None
    if profile_path:
        # the imports (aiogram's take seconds) are not what is being looked at
        if target == "echo":
            import benchmarks.echo_bot  # noqa: F401
        else:
            import bot.cli
            import bot.runners.polling  # noqa: F401

        if profile_path.endswith(".prof"):  # cProfile on CPU time: pstats file
            import cProfile

            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        else:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.002, async_mode="disabled")
            profiler.start()
    try:
        code = _run(target)
    finally:
        if profiler is not None and profile_path.endswith(".prof"):
            profiler.disable()
            profiler.dump_stats(profile_path)
        elif profiler is not None:
            profiler.stop()
            if profile_path.endswith(".html"):
                profiler.write_html(profile_path)
            else:
                with open(profile_path, "w", encoding="utf-8") as file:
                    file.write(profiler.output_text(unicode=True, color=False, show_all=False))
        stats_path = os.environ.get("BENCH_STATS_FILE")
        if stats_path:
            _write_stats(stats_path)
    return code


if __name__ == "__main__":
    sys.exit(main())
