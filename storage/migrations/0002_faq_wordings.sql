-- Wordings staff attached to FAQ entries from /unanswered: the matcher uses them as phrasings.
-- AUTOINCREMENT: an id shown on a button is never given to another wording after a removal.
CREATE TABLE faq_wordings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    language   TEXT NOT NULL,
    entry_id   TEXT NOT NULL,
    text       TEXT NOT NULL,
    added_by   INTEGER NULL,
    added_at   TEXT NOT NULL,
    UNIQUE (language, entry_id, text)
);
