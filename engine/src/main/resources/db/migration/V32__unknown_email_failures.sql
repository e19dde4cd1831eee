-- Failed sign-ins and reset codes tried on emails of no account, counted in the database as an account's are, so
-- that on a cluster such an email locks after five attempts over all the instances, as an account does, and the
-- lock tells nobody which emails have an account. One row per slot a keyed hash of the email chooses: at most
-- 1,048,576 rows, whatever is tried.
CREATE TABLE unknown_email_failures (
    slot INTEGER NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP
);
