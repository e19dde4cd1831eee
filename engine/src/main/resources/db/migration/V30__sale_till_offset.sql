-- The offset of the till's clock the sale was sent with (seconds east of UTC): the rules read the sale's local time
-- (a Monday bonus, a happy hour) from it at the till, and a simulation's replay of the sale now does the same; it
-- used the programme's zone, so that a rule of the day or hour simulated one way and earned another. Sales recorded
-- before this version have none (replayed in the programme's zone, as before).
ALTER TABLE sale ADD COLUMN till_offset INTEGER;
