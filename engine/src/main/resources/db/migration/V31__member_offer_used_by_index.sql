-- The offers a sale used, looked up by the sale: a return's (one sale), a simulation's replay (500 sales at a time).
-- Derby indexes a foreign key's column itself; PostgreSQL does not, and read the whole table, which grows every
-- night, for each of them.
CREATE INDEX member_offer_used_by_ix ON member_offer (used_by);
