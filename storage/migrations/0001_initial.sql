-- 0001: the whole schema of antibody-bot.
-- Conventions: timestamps are UTC ISO-8601 TEXT of fixed width
-- ('2024-05-01T09:30:00.000000+00:00', so text order = time order); dates are 'YYYY-MM-DD'.
-- Data minimisation: no names/usernames/phones of Telegram users, no support message texts.

-- Telegram users who talked to the bot. id = Telegram user id.
CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    language          TEXT NULL,            -- explicit choice; NULL = follow Telegram's language_code
    blocked_at        TEXT NULL,            -- when we learnt the user blocked the bot
    reminders_enabled INTEGER NOT NULL DEFAULT 1 CHECK (reminders_enabled IN (0, 1)),
    created_at        TEXT NOT NULL,
    last_seen_at      TEXT NOT NULL,
    last_interaction  TEXT NULL             -- short code, e.g. 'check:not_eligible:has_vaccination_qr'
);

-- Every eligibility check (for /stats). reasons = comma-separated reason codes.
CREATE TABLE eligibility_checks (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    reasons    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX eligibility_checks_user ON eligibility_checks (user_id);
CREATE INDEX eligibility_checks_created ON eligibility_checks (created_at);

-- Certificates issued through the bot. token: unguessable, used in deep links.
CREATE TABLE certificates (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token        TEXT NOT NULL UNIQUE,
    holder_name  TEXT NOT NULL,
    test_date    TEXT NOT NULL,
    expires_on   TEXT NOT NULL,
    official_url TEXT NULL,
    snils_last   TEXT NULL,                 -- last digits only, for display
    created_at   TEXT NOT NULL
);
CREATE INDEX certificates_user ON certificates (user_id, created_at);

-- Keyed hash (HMAC hex) of every SNILS that ever got a certificate.
-- Deliberately NOT linked to users/certificates and KEPT when a user deletes their data:
-- it holds no readable personal data, and it is what enforces "one certificate per person".
CREATE TABLE snils_registry (
    digest     TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Expiry reminders, one row per (certificate, offset). Sent by a claim/mark worker.
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY,
    certificate_id  INTEGER NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    offset_days     INTEGER NOT NULL,       -- days before expiry
    due_at          TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NULL,              -- retry time after a transient failure
    claimed_at      TEXT NULL,              -- set when a worker takes the row (state 'sending')
    sent_at         TEXT NULL,
    last_error      TEXT NULL,
    UNIQUE (certificate_id, offset_days)
);
CREATE INDEX reminders_due ON reminders (state, due_at) WHERE state IN ('pending', 'sending');
CREATE INDEX reminders_user ON reminders (user_id);

-- Support tickets. At most one open ticket per user (partial unique index).
CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    language        TEXT NULL,
    created_at      TEXT NOT NULL,
    first_answer_at TEXT NULL,
    closed_at       TEXT NULL,
    user_blocked    INTEGER NOT NULL DEFAULT 0 CHECK (user_blocked IN (0, 1))
);
CREATE UNIQUE INDEX tickets_one_open_per_user ON tickets (user_id) WHERE status = 'open';
CREATE INDEX tickets_user_created ON tickets (user_id, created_at);
CREATE INDEX tickets_open ON tickets (created_at) WHERE status = 'open';

-- Routing of ticket messages between the citizen's chat and the support chat. No texts.
CREATE TABLE ticket_messages (
    id                 INTEGER PRIMARY KEY,
    ticket_id          INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    direction          TEXT NOT NULL CHECK (direction IN ('citizen', 'staff')),
    support_message_id INTEGER NULL,        -- id of the post in the support chat
    citizen_message_id INTEGER NULL,        -- id of the message in the citizen's chat
    staff_user_id      INTEGER NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, created_at);
CREATE INDEX ticket_messages_support ON ticket_messages (support_message_id)
    WHERE support_message_id IS NOT NULL;

-- Questions the FAQ could not answer (to improve the FAQ). No user id on purpose.
CREATE TABLE unanswered_questions (
    id         INTEGER PRIMARY KEY,
    language   TEXT NULL,
    text       TEXT NOT NULL,
    normalized TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX unanswered_questions_normalized ON unanswered_questions (normalized);

-- Staff members allowed to use staff commands (besides the admins from settings).
CREATE TABLE staff (
    user_id  INTEGER PRIMARY KEY,
    added_by INTEGER NULL,
    added_at TEXT NOT NULL
);

-- aiogram FSM storage (storage.fsm.SQLiteStorage). data = JSON object.
CREATE TABLE fsm (
    key   TEXT PRIMARY KEY,
    state TEXT NULL,
    data  TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;
