-- The tills' lines keep their categories in lower case; an offer's category was kept as typed, so an offer of
-- double points on "Coffee" never paid on a line of "coffee". Offers and the offers given keep theirs in lower
-- case from now on; those already defined and given are put so here.
UPDATE offer SET category = LOWER(category) WHERE category IS NOT NULL AND category <> LOWER(category);
UPDATE member_offer SET category = LOWER(category) WHERE category IS NOT NULL AND category <> LOWER(category);
