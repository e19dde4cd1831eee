-- Logging out and changing a password end sessions on every engine instance. Bearer tokens stay signed and carry
-- their session's id and their account's session stamp; a token is refused once its account has a new stamp (a
-- changed password ends every session signed in before it) or once its session is listed here (logged out).
-- Accounts made before this version have no stamp until their sessions are ended once: their tokens carry none.
ALTER TABLE account ADD COLUMN session_stamp VARCHAR(32);

-- The sessions logged out one by one; each row is useless once its token has expired, and is deleted then.
CREATE TABLE ended_session (
    session_id VARCHAR(32) NOT NULL PRIMARY KEY,
    ended_at   TIMESTAMP   NOT NULL,
    expires_at TIMESTAMP   NOT NULL
);
CREATE INDEX ended_session_expiry_ix ON ended_session (expires_at);
