-- A redemption cancelled by the programme's staff from the back office (a reward that never reached the customer,
-- a cancellation asked for after the till's 30 days): the staff member who did it. Null for a till's cancellation,
-- which keeps its store and terminal.
ALTER TABLE redemption ADD COLUMN cancelled_by VARCHAR(254);
