"""Issue 12, point 3: no digit of a SNILS is kept, and the registry holds slow fingerprints.
A database written by an older version (last digits in `certificates.snils_last`, fast HMAC
digests in the registry) is migrated: the digits are gone at once, the digests become
fingerprints at the next start (without the numbers), and "once per person" still holds."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from domain import parse_snils
from domain.snils import fingerprint_of_digest, snils_digest, snils_fingerprint
from storage import Database, Repositories, SnilsKeys, upgrade_registry
from storage.migrator import load_migrations, migrate

from .conftest import T0

KEY = b"k" * 32
SNILS = "112-233-445 95"


def keys(text: str) -> SnilsKeys:
    snils = parse_snils(text)
    return SnilsKeys(snils_fingerprint(snils, KEY), snils_digest(snils, KEY))


async def _database_of_version_3(path: Path) -> None:
    db = await Database.open(path, apply_migrations=False)
    await migrate(db, [m for m in load_migrations() if m.number <= 3])
    await db.execute(
        "INSERT INTO users (id, language, created_at, last_seen_at) "
        "VALUES (1, 'ru', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
    )
    await db.execute(
        "INSERT INTO certificates (user_id, token, holder_name, test_date, expires_on, "
        "snils_last, created_at) VALUES (1, 'tok', 'Анна', '2026-10-01', '2027-04-01', "
        "'***-***-445 95', '2026-10-02T00:00:00+00:00')"
    )
    await db.execute(
        "INSERT INTO snils_registry (digest, created_at) VALUES (?, '2026-10-02T00:00:00+00:00')",
        (snils_digest(parse_snils(SNILS), KEY),),
    )
    await db.close()


async def test_an_old_database_loses_the_digits_and_its_digests_become_fingerprints(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    await _database_of_version_3(path)
    db = await Database.open(path)  # migrations run
    try:
        repo = Repositories.create(db)
        columns = {row["name"] for row in await db.fetchall("PRAGMA table_info(certificates)")}
        assert "snils_last" not in columns
        certificate = await repo.certificates.by_token("tok")
        assert certificate is not None and certificate.snils_given
        # before the upgrade the old row still counts: the rule holds in between
        assert await repo.certificates.snils_used(keys(SNILS))
        upgrade = functools.partial(fingerprint_of_digest, secret_key=KEY)
        assert await upgrade_registry(repo.certificates, upgrade) == 1
        rows = await db.fetchall("SELECT digest FROM snils_registry")
        assert [r["digest"] for r in rows] == [keys(SNILS).fingerprint]
        assert await repo.certificates.snils_used(keys(SNILS))
        assert not await repo.certificates.snils_used(keys("920-000-010 99"))
        assert await upgrade_registry(repo.certificates, upgrade) == 0  # nothing left to do
    finally:
        await db.close()
    # nothing of the number is left in the file: no digits, no fast digest (secure_delete)
    data = _read_database_files(tmp_path)
    assert b"445 95" not in data
    assert snils_digest(parse_snils(SNILS), KEY).encode() not in data


def _read_database_files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith("bot.db"))


async def test_a_new_certificate_keeps_no_digit(repo: Repositories, db_path: Path) -> None:
    await repo.users.touch(1, T0)
    await repo.certificates.add(
        1, holder_name="Анна", test_date=T0.date(), expires_on=T0.date(), now=T0, snils=keys(SNILS)
    )
    await repo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(db_path) as conn:
        dump = "\n".join(conn.iterdump())
    assert "445" not in dump and snils_digest(parse_snils(SNILS), KEY) not in dump
    assert keys(SNILS).fingerprint in dump
