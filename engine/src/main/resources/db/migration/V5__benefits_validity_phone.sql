-- What a tier gives its members, when a reward can be taken, and a member's phone (to find them by it).
ALTER TABLE tier ADD COLUMN benefits VARCHAR(500);
ALTER TABLE reward ADD COLUMN valid_from DATE;
ALTER TABLE reward ADD COLUMN valid_until DATE;
ALTER TABLE member ADD COLUMN phone VARCHAR(32);
CREATE INDEX member_phone_ix ON member (phone);
