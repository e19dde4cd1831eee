-- The points the expiry took from each lot: a return of an old sale takes back what the sale's points still are
-- or were spent, never what expired of them. Lots expired before this migration count as spent (0 expired).
ALTER TABLE points_lot ADD COLUMN expired BIGINT DEFAULT 0 NOT NULL;
