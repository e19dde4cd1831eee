-- The version that was live when a draft was made (or the one its editor was opened on): a draft made from version
-- 2 while a second manager published version 3 would, published, take back version 3's changes without a word. Its
-- publication is refused while another version than its base is live, unless the manager says to replace it.
-- Versions saved before this one name none (published as before).
ALTER TABLE rule_set_version ADD COLUMN based_on INTEGER;
