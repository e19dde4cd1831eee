-- PostgreSQL only. The nightly recomputation saves every member's scores in one transaction, and each row's foreign
-- key to member took a KEY SHARE lock on its member until that transaction committed (41 s for a million members),
-- which a sale's lock on its member (SELECT ... FOR UPDATE) has to wait for: every sale of a member already saved
-- was held up, and with the data source's 2 s lock limit answered 503. The scores are derived from the members and
-- recomputed from them, and members are never deleted, so the key goes.
ALTER TABLE member_score DROP CONSTRAINT IF EXISTS member_score_member_id_fkey;
