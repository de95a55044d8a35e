-- Ticket numbers are never given twice. Staff answer "request №N": if a number freed by /forget
-- (which deletes the person's tickets) were given to someone else, an answer meant for one
-- person would reach another. tickets.id alone is a rowid, reused after its row is deleted; this
-- AUTOINCREMENT table hands the numbers out instead (its rows are deleted, its counter stays).
CREATE TABLE ticket_numbers (id INTEGER PRIMARY KEY AUTOINCREMENT);
-- numbers given before this migration: the counter starts after the highest one still kept
-- (one deleted above it cannot be known any more, and may be given once again)
INSERT INTO ticket_numbers (id) SELECT MAX(id) FROM tickets HAVING MAX(id) IS NOT NULL;
DELETE FROM ticket_numbers;
