-- No digit of a SNILS is kept. The last five (`***-***-445 95`) divided the work of whoever holds
-- the database and the key by 10⁵; the card only needs to know that a SNILS was given.
ALTER TABLE certificates ADD COLUMN snils_given INTEGER NOT NULL DEFAULT 0
    CHECK (snils_given IN (0, 1));
UPDATE certificates SET snils_given = 1 WHERE snils_last IS NOT NULL;
ALTER TABLE certificates DROP COLUMN snils_last;
-- The registry's fast HMAC digests (64 hex) are replaced by slow fingerprints ("s1:…", see
-- domain/snils.py) at the next start with SECRET_KEY set (storage.certificates.upgrade_registry),
-- without the numbers: the fingerprint is made from the HMAC.
