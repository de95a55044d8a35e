"""How well and how fast the bot understands typed questions.

Run: ``python -m benchmarks.faq_matcher`` (add ``--misses dev`` or ``--misses ours`` to list what
a tuning set got wrong; the held-out set's misses are never listed: see tests/faq/heldout/).

Sets: ``ours`` (written by the people who wrote the content: tuned on, says little), ``dev``
(written from the memo by someone else; tuned on), ``heldout`` (written from the memo by a third
party, frozen, never tuned on: the figure that predicts real traffic).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
FAQ_TESTS = ROOT / "tests" / "faq"
SETS = {
    "ours": FAQ_TESTS / "labelled_questions.toml",
    "dev": FAQ_TESTS / "dev" / "dev_2026-12-02.toml",
    "dev2": FAQ_TESTS / "dev" / "dev2_2026-12-02.toml",
    "heldout": FAQ_TESTS / "heldout" / "heldout_2026-12-02.toml",
    "heldout2": FAQ_TESTS / "heldout" / "heldout2_2026-12-02.toml",
}
ROUNDS = 20
LONG_MESSAGES = 1000
MAX_MESSAGE = 4096


def _rss_mb() -> float:
    """Current resident set size (Linux), in MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def _long_messages(questions: list[str], n: int, seed: int) -> Iterator[str]:
    """Messages of 4,096 characters, never seen before: made-up words (no cache helps, every one
    goes through morphology and typo correction), sentences of the sets' questions, one at the
    end half of the time, or no punctuation at all."""
    rng = random.Random(seed)
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < MAX_MESSAGE:
            if rng.random() < 0.3:
                parts.append(rng.choice(questions))
            else:
                words = ["".join(rng.choices(letters, k=rng.randint(4, 11))) for _ in range(8)]
                parts.append(" ".join(words) + ("." if i % 3 else ""))
        text = " ".join(parts)
        if i % 2:
            text = text[: MAX_MESSAGE - 60] + " " + rng.choice(questions)
        yield text[:MAX_MESSAGE]  # one at a time: the benchmark's data is not the matcher's memory


def _percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=["ours", "dev", "dev2"], action="append", default=[])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    args = parser.parse_args()
    chosen = [name for name in args.sets.split(",") if name in SETS]

    # A first start: an empty cache, so the wording classifier is trained (bot/faq/classifier.py)
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="faq-bench-")
    # What the matcher adds to the process: Russian morphology, the books, the indexes, caches.
    gc.collect()
    rss_before = _rss_mb()
    t0 = time.perf_counter()
    from bot.faq.evaluation import content_texts, evaluate, load_cases, normal_form, table
    from bot.faq.library import FaqLibrary
    from bot.faq.matcher import get_morph

    get_morph()
    library = FaqLibrary.load(LOCALES, ["ru", "en"])
    start_s = time.perf_counter() - t0
    # as the bot does before it takes updates (bot.lifecycle.freeze_startup_heap): the start-up
    # heap is never scanned by the garbage collector, whose full passes would be the p99
    gc.collect()
    gc.freeze()

    understand = library.outcome

    sets = {name: load_cases(SETS[name]) for name in chosen}
    all_cases = [case for cases in sets.values() for case in cases]
    questions = [c.q for c in all_cases]
    # The matcher's memory, its caches full: the questions as real traffic fills them, and a
    # flood of long made-up messages; measured before the benchmark keeps data of its own.
    for case in all_cases:
        library.understand(case.q, case.lang)
    for text in _long_messages(questions, LONG_MESSAGES, seed=7):
        library.understand(text, "ru")
    gc.collect()
    rss_after = _rss_mb()
    long_timings: list[float] = []
    for text in list(_long_messages(questions, LONG_MESSAGES, seed=8)):  # cold: new texts
        t = time.perf_counter_ns()
        library.understand(text, "ru")
        long_timings.append((time.perf_counter_ns() - t) / 1e6)
    long_timings.sort()

    rows = []
    reports = {}
    for name, cases in sets.items():
        figures = evaluate(understand, cases)
        reports[name] = figures
        rows += [(name, lang, figures[lang]) for lang in ("ru", "en", "all") if lang in figures]
        if name.startswith("heldout"):  # again without what the content happens to contain
            known = content_texts(LOCALES)
            fresh = [c for c in cases if normal_form(c.q) not in known]
            figures = evaluate(understand, fresh)
            rows += [(f"{name}*", lang, figures[lang]) for lang in ("ru", "en", "all")]

    timings: list[float] = []
    for _ in range(ROUNDS):
        for case in all_cases:
            t = time.perf_counter_ns()
            library.understand(case.q, case.lang)
            timings.append((time.perf_counter_ns() - t) / 1e6)
    timings.sort()
    # a later start: the same content, the trained classifier read from the cache
    from bot.faq import library as library_module

    library_module._trained_classifier.cache_clear()
    t0 = time.perf_counter()
    FaqLibrary.load(LOCALES, ["ru", "en"])
    cached_start_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    library.learn([("ru", "validity", "сколько ходит бумажка про антитела")])
    learn_ms = (time.perf_counter() - t0) * 1e3

    print("FAQ: how the bot understands typed questions")
    print(f"  entries: {len(library.books['ru'])} per language")
    print()
    print(table(rows))
    print()
    print("  direct+right / direct+wrong: share of the in-scope questions; declined: share of")
    print("  the unrelated ones given no FAQ answer and no suggestions (small talk, contacts,")
    print(
        "  not found); heldout*: the held-out set without the questions that the content\n"
        "  happens to contain word for word (see tests/faq/heldout/README.md)"
    )
    print()
    print(
        f"  time per message, warm ({len(timings)}): p50 {_percentile(timings, 0.5):.3f} ms, "
        f"p99 {_percentile(timings, 0.99):.3f} ms, max {timings[-1]:.3f} ms"
    )
    print(
        f"  4,096-character messages, cold ({len(long_timings)}): "
        f"p50 {_percentile(long_timings, 0.5):.3f} ms, "
        f"p99 {_percentile(long_timings, 0.99):.3f} ms, max {long_timings[-1]:.3f} ms"
    )
    print(
        f"  start (morphology, content, indexes, classifier trained): {start_s * 1e3:.0f} ms;"
        f" next starts (content and indexes, classifier from the cache):"
        f" {cached_start_s * 1e3:.0f} ms"
    )
    print(f"  a staff-taught wording, matcher rebuilt: {learn_ms:.1f} ms")
    print(f"  memory added (RSS, imports included): {rss_after - rss_before:.1f} MB")
    for name in args.misses:
        print(f"\nMisses of {name!r}:")
        for case, outcome in reports[name]["all"].misses:
            offered = f"offered {list(outcome.offered)}" if outcome.offered else "-"
            got = outcome.answered or offered
            print(f"  [{case.lang}] {case.q!r}: want {case.id}, got {got}")


if __name__ == "__main__":
    main()
