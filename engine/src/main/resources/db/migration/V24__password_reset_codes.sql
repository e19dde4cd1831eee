-- A customer who forgot their password asks at the service desk (or on the phone) once their identity is checked:
-- the desk issues a one-time code, valid for a short while, that the customer types on the site with a new
-- password. Only the code's hash is kept, and only until it is used, replaced or expired.
ALTER TABLE account ADD COLUMN reset_code_hash VARCHAR(200);
ALTER TABLE account ADD COLUMN reset_code_expires_at TIMESTAMP;
