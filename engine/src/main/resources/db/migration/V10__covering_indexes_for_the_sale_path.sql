-- Every sale reads the member's purchase history (spend and qualifying points in the tier window, number of
-- purchases) and spendable balance. With indexes on the member alone, each of those rows was fetched from the
-- table, one random page each: a tenth of a sale's CPU once the database outgrows Derby's page cache. The
-- indexes now carry the columns those sums read, so the sums are answered from the index alone. Their leading
-- columns are those of the narrower indexes they replace, so every other query keeps its access path.
-- (sale_member_ix on sale (member_id) exists only on PostgreSQL: Derby never built it, the foreign key's own
-- index being the same; db/postgresql/V10_1 drops it there.)
CREATE INDEX sale_member_spend_ix ON sale (member_id, occurred_at, total);
DROP INDEX ledger_entry_member_ix;
CREATE INDEX ledger_entry_member_ix ON ledger_entry (member_id, occurred_at, kind, qualifying_points);
DROP INDEX points_lot_member_ix;
CREATE INDEX points_lot_member_ix ON points_lot (member_id, expires_on, remaining, available_on);
