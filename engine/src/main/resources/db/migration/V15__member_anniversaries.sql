-- The hourly tier review asks for the programme's earliest joining day, then for the members who joined on the
-- day's anniversaries. No index held the joining day, so both read every member of the programme: 9.3 s at a
-- million members on PostgreSQL, every hour, and on Derby a scan that took a shared lock on each member row in
-- turn, waiting behind the tills' locks. With the programme and the day in one index, both are look-ups.
CREATE INDEX member_programme_joined_ix ON member (programme_id, joined_on);
