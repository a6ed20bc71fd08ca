-- Retention purges an org's screenshots by age across all its users; the timeline index
-- (org_id, user_id, taken_at) cannot serve that without scanning every row of the org.
CREATE INDEX screenshots_org_taken ON screenshots (org_id, taken_at);
-- The audit log is read newest first per org.
CREATE INDEX audit_log_org_id ON audit_log (org_id, id);
-- Op receipts are pruned by age (see jobs/retention.job.ts).
CREATE INDEX sync_ops_applied ON sync_ops (applied_at);
