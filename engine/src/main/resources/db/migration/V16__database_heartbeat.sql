-- How the engine notices by itself that its database went back in time (restored from a backup with PostgreSQL's
-- tools, or a Derby folder copied back by hand), to tell the tills what to send again.
-- The database's identity: made once, kept by every backup and restore of it, new in a new database.
CREATE TABLE database_identity (
    singleton  INT         NOT NULL PRIMARY KEY,
    id         VARCHAR(36) NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    CONSTRAINT database_identity_one CHECK (singleton = 1)
);

-- Each instance's beat, written every second: an instance that finds its beat lower than the one it keeps beside
-- its data (or gone) knows that the database lost what was written since.
CREATE TABLE instance_heartbeat (
    instance_id VARCHAR(36) NOT NULL PRIMARY KEY,
    beat        BIGINT      NOT NULL,
    beat_at     TIMESTAMP   NOT NULL
);

-- The time in which what the tills sent may have been lost, as an instance noticed it: every instance tells it.
CREATE TABLE restore_gap (
    noticed_by VARCHAR(36) NOT NULL,
    noticed_at TIMESTAMP   NOT NULL,
    gap_from   TIMESTAMP   NOT NULL,
    gap_to     TIMESTAMP   NOT NULL,
    PRIMARY KEY (noticed_by, noticed_at)
);
