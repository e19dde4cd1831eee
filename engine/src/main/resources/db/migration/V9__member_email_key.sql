-- Finding a member by email (enrolment's duplicate check, the back office's look-up by email) compared LOWER(email),
-- which no index serves: every enrolment read every member of the programme (23,000 rows per call
-- in a 23,000-member benchmark database). The address is kept as the member typed it; its lower-case key is
-- stored beside it and indexed with the programme.
ALTER TABLE member ADD COLUMN email_key VARCHAR(254);
UPDATE member SET email_key = LOWER(TRIM(email)) WHERE email IS NOT NULL;
DROP INDEX member_programme_email_ix;
CREATE INDEX member_programme_email_key_ix ON member (programme_id, email_key);
