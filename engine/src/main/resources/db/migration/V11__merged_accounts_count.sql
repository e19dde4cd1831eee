-- Every sale sums the qualifying points of the member and of the duplicates merged into it, which took a look-up
-- of merged accounts on every sale, nearly always finding none. The member now counts the duplicates merged into
-- it, and the look-up is made only for a member that has some.
ALTER TABLE member ADD COLUMN merged_accounts INT DEFAULT 0 NOT NULL;
UPDATE member SET merged_accounts = (SELECT COUNT(*) FROM member d WHERE d.merged_into = member.id)
    WHERE id IN (SELECT merged_into FROM member WHERE merged_into IS NOT NULL);
