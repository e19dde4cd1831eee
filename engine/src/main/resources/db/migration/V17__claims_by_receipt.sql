-- A till's sale asks whether a manager already credited its receipt through an approved claim (of any member of
-- the programme), and a claim is refused for a receipt another member's claim credited: both look claims up by
-- store and receipt, which no index held.
CREATE INDEX claim_receipt_ix ON claim (store_id, receipt_id);
