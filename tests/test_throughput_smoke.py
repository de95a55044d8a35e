"""The throughput benchmark in a tiny configuration: it runs, drives every phase against the real
bot and the echo bot, and counts replies right. No timing assertions (targets live in benchmarks).
"""

from __future__ import annotations

from benchmarks import throughput


async def test_throughput_harness_smoke() -> None:
    results = await throughput.run(updates=100, users=20, mix=throughput.PHASES, log=lambda _: None)

    assert results.skipped == {}, results.skipped
    assert results.notes == [], results.notes
    for phase in throughput.PHASES:
        bot = results.get(phase, "bot")
        echo = results.get(phase, "echo")
        assert bot is not None and echo is not None, phase
        assert bot.updates > 0
        assert echo.updates == bot.updates, phase  # the echo bot got the very same updates
        for r in (bot, echo):
            assert r.handled == r.updates, (phase, r.target)
            assert (r.timeouts, r.errors, r.answer_only) == (0, 0, 0), (phase, r.target)
            # the listener's count matches the server's own record of the phase
            assert r.replies == r.server_replies >= r.updates, (phase, r.target)
            assert r.seconds > 0 and r.cpu_seconds >= 0 and r.peak_rss_mb > 0
            assert r.lag_samples > 0
        assert echo.replies == echo.updates  # one echo per update, exactly
    # menu presses answer every callback query: one answer per press
    assert results.get("menu", "bot").callback_answers == results.get("menu", "bot").updates
    assert results.get("menu", "echo").callback_answers == results.get("menu", "echo").updates
    # whole /check conversations (100 // 3 updates → 3 conversations): /check + ≥ 1 answer each
    assert results.get("check", "bot").updates >= 6
    table = throughput.table(results)
    assert "bot/echo" in table and "check" in table
