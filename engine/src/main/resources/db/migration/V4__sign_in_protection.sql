-- Repeated failed sign-ins lock an account for a while, on every engine instance alike.
ALTER TABLE account ADD COLUMN failed_logins INT DEFAULT 0 NOT NULL;
ALTER TABLE account ADD COLUMN locked_until TIMESTAMP;
