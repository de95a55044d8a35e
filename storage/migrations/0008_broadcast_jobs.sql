-- /broadcast as a stored job: the text, every recipient and where each one stands, so that a
-- restart (SIGTERM or kill -9) goes on where it stopped and nobody gets a second copy.
-- When the job ends its text and its deliveries (who got it) are deleted; the counts stay. A
-- delivery is `sending` only while its request is on the wire: one found so at a start may or may
-- not have arrived and is not sent again (`unknown`).
CREATE TABLE broadcast_jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    text             TEXT NULL,
    admin_chat_id    INTEGER NOT NULL,
    panel_message_id INTEGER NULL,
    language         TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'done', 'cancelled')),
    total            INTEGER NOT NULL,
    sent             INTEGER NOT NULL DEFAULT 0,  -- the counts, kept when the job ends
    blocked          INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0,
    unknown          INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    finished_at      TEXT NULL
);
CREATE TABLE broadcast_deliveries (
    job_id  INTEGER NOT NULL REFERENCES broadcast_jobs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status  TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'blocked', 'failed', 'unknown')),
    PRIMARY KEY (job_id, user_id)
) WITHOUT ROWID;
CREATE INDEX broadcast_deliveries_pending ON broadcast_deliveries (job_id, status, user_id);
