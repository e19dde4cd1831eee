-- When each offer was given: a purchase made on the day of the grant but before it (the purchase that qualified the
-- member, often) is no response to the offer. Offers given before this version have none: their day's start stands in.
ALTER TABLE member_offer ADD COLUMN granted_at TIMESTAMP;
