-- PostgreSQL only (Derby never built this index: it duplicated the foreign key's own). sale_member_spend_ix
-- (member_id, occurred_at, total) serves every query it served.
DROP INDEX sale_member_ix;
