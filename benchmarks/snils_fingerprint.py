"""What it costs to make one SNILS fingerprint, and so to reverse the registry by trying numbers.

Run: ``python -m benchmarks.snils_fingerprint``. Whoever holds the database *and* SECRET_KEY must
try every SNILS number (10⁹: the last two digits are a checksum of the first nine, and no digit is
kept beside the fingerprint), each try one scrypt of 16 MiB (domain/snils.py).
"""

from __future__ import annotations

import statistics
import time

from domain.snils import SCRYPT_N, SCRYPT_R, parse_snils, snils_fingerprint

NUMBERS = 10**9
SECONDS_PER_YEAR = 365.25 * 24 * 3600
TRIES = 30


def main() -> None:
    key = b"k" * 32
    snils = parse_snils("112-233-445 95")
    times = []
    for _ in range(TRIES):
        t = time.perf_counter()
        snils_fingerprint(snils, key)
        times.append(time.perf_counter() - t)
    median = statistics.median(times)
    print("SNILS fingerprint: scrypt over HMAC-SHA256, key as salt")
    print(
        f"  scrypt N=2^{SCRYPT_N.bit_length() - 1}, r={SCRYPT_R}: "
        f"{128 * SCRYPT_N * SCRYPT_R / 2**20:.0f} MiB per try"
    )
    print(
        f"  one fingerprint: median {median * 1000:.1f} ms, min {min(times) * 1000:.1f} ms "
        f"({TRIES} tries, one core)"
    )
    years = NUMBERS * min(times) / SECONDS_PER_YEAR
    print(
        f"  trying all {NUMBERS:.0e} numbers: {years:.1f} CPU-years at the fastest time seen\n"
        "  for the pass that reverses every row (the salt is the key, the same for all rows;\n"
        "  one given number is found after half of it on average)"
    )


if __name__ == "__main__":
    main()
