-- Retention (bot/retention.py). A conversation's data (typed names, Госуслуги links, a kept
-- question) is cleared when it was last touched more than a day ago: `fsm.updated_at`. Rows
-- from before this migration count from now.
ALTER TABLE fsm ADD COLUMN updated_at TEXT NULL;
UPDATE fsm SET updated_at = strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now');
CREATE INDEX fsm_updated ON fsm (updated_at);
-- Each person's answers to the eligibility check are kept CHECK_RETENTION_DAYS, then only
-- counted here (by outcome and reasons, no person, no date) for /stats.
CREATE TABLE check_totals (
    outcome TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    n       INTEGER NOT NULL,
    PRIMARY KEY (outcome, reasons)
) WITHOUT ROWID;
