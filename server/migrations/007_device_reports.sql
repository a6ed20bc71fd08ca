-- What each device last said about itself in a push (src/shared/http/fleet.ts): its version,
-- the records waiting on it and whether IT's policy file applied. `report_sent_at` is the
-- device's sentAt of that push: a replayed older push never overwrites a newer report.
ALTER TABLE devices
  ADD COLUMN app_version text,
  ADD COLUMN report_sent_at timestamptz,
  ADD COLUMN queued_screenshots integer,
  ADD COLUMN queued_ops integer,
  ADD COLUMN dead_letters integer,
  ADD COLUMN oldest_unsynced_at timestamptz,
  ADD COLUMN policy_error text;
