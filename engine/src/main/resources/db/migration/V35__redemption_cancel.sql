-- A redemption cancelled at the till of its store (the customer changed their mind, the reward could not be
-- handed over): when, where, why, and the answer the till was given, sent again to a till that asks twice. The
-- points come back as a REDEEM entry of the opposite sign referring to the redemption, and the reward's unit to
-- its stock; a redemption is cancelled once.
ALTER TABLE redemption ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE redemption ADD COLUMN cancel_store_id VARCHAR(32);
ALTER TABLE redemption ADD COLUMN cancel_terminal_id VARCHAR(32);
ALTER TABLE redemption ADD COLUMN cancel_reason VARCHAR(200);
ALTER TABLE redemption ADD COLUMN cancel_response VARCHAR(2000);

-- The lots a redemption took its points from, with their dates and the sale whose points they held: a cancelled
-- redemption gives each back as it was, to expire when it would have (a redemption takes the soonest-expiring
-- points; given back with a later date, a redemption and its cancellation would renew points about to expire).
CREATE TABLE redemption_lot (
    redemption_id BIGINT NOT NULL REFERENCES redemption (id),
    points        BIGINT NOT NULL,
    available_on  DATE   NOT NULL,
    expires_on    DATE   NOT NULL,
    sale_id       BIGINT,
    CONSTRAINT redemption_lot_points_ck CHECK (points > 0)
);
CREATE INDEX redemption_lot_ix ON redemption_lot (redemption_id);
