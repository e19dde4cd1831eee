-- The day a member closed their account, so that the reports of past days count them as members until then and
-- as gone from it (before, a closed member vanished from every day, and attrition never counted closures). Accounts
-- closed before this version take the day of their closing in the audit trail (in UTC).
ALTER TABLE member ADD COLUMN closed_on DATE;
UPDATE member SET closed_on = (SELECT CAST(MIN(a.occurred_at) AS DATE) FROM audit_event a
                               WHERE a.action = 'ACCOUNT_CLOSED' AND a.subject = member.public_id)
    WHERE status = 'CLOSED';
