-- The most one sale may come to in a programme, in its currency; none when null (programmes before this version).
-- A till's typo (a price typed with its digits twice, a quantity for a price) would otherwise earn a fortune in
-- points and the top tier: a sale above it is refused (422 sale_total_too_large), and so is a quote, a claim or a
-- simulated sale of more.
ALTER TABLE programme ADD COLUMN max_sale_total DECIMAL(15,2);
