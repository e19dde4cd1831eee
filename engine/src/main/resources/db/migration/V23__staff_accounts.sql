-- Staff accounts are managed by administrators: one may be disabled (it no longer signs in, and its tokens are
-- refused from their next call on), and the staff are listed apart from the customers, whose accounts are many
-- more: an index on the role finds them without reading every customer's account.
ALTER TABLE account ADD COLUMN disabled_at TIMESTAMP;
CREATE INDEX account_role_ix ON account (role, email);
-- The audit trail's subject of a change to a staff account is the account's email, up to 254 characters.
ALTER TABLE audit_event ALTER COLUMN subject SET DATA TYPE VARCHAR(254);
