-- The sale whose points a lot holds when a merge moved them: the duplicate's lot is emptied by the transfer and a
-- lot of the same points and dates opened on the member kept, which now names the sale. A return of the
-- duplicate's sale takes its points from that lot first and counts what of it expired, as it does for a sale's own
-- lot; before, it found only the emptied lot, took back points that had expired, and spent the member's others.
-- Lots moved before this version name none (their sales' returns behave as before).
ALTER TABLE points_lot ADD COLUMN sale_id BIGINT;
