-- Failed attempts on what has no row of its own to count them in, counted in the database as an account's failed
-- sign-ins are: sign-ins and reset codes tried on emails of no account, and the claims of a desk-issued card (its
-- number, an email and a last name) that did not match. On a cluster they lock after five attempts over all the
-- instances, and the lock tells nobody which emails have an account or which cards exist. One row per slot a keyed
-- hash of the email or card chooses: at most 1,048,576 rows, whatever is tried.
CREATE TABLE attempt_slot (
    slot INTEGER NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP
);
