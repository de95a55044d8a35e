-- The once-per-person rule is about a second certificate (another test), not about saving the
-- same one again (after /forget, on a new phone): the registry keeps the test date beside the
-- fingerprint. Rows from before have none: they refuse any date, as they did.
ALTER TABLE snils_registry ADD COLUMN test_date TEXT NULL;
