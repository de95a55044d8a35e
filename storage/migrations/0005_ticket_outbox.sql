-- Citizen messages accepted into a ticket but not yet posted to the support chat. Written in the
-- same transaction as the ticket; deleted in the same transaction as the posts' routing rows. A
-- row left by a crash (kill -9, SIGTERM mid-post) is posted at the next start, and the citizen
-- gets the confirmation then. `text`: the masked text of a text message (a media message is
-- copied from the citizen's chat, only its masked caption is kept); gone once posted.
CREATE TABLE ticket_outbox (
    id                 INTEGER PRIMARY KEY,
    ticket_id          INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    first              INTEGER NOT NULL CHECK (first IN (0, 1)),
    citizen_chat_id    INTEGER NOT NULL,
    citizen_message_id INTEGER NOT NULL,
    text               TEXT NULL,
    caption            TEXT NULL,
    snils_hidden       INTEGER NOT NULL DEFAULT 0 CHECK (snils_hidden IN (0, 1)),
    created_at         TEXT NOT NULL
);
CREATE INDEX ticket_outbox_ticket ON ticket_outbox (ticket_id);
