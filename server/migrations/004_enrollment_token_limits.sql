-- Enrollment tokens an admin controls: revocable, and optionally limited to N devices (1 =
-- single-use). `enrolled_devices` counts the distinct devices a token brought in; the enroll
-- transaction bumps it under a row lock, so concurrent enrollments cannot pass the limit.
ALTER TABLE enrollment_tokens
  ADD COLUMN revoked_at timestamptz,
  ADD COLUMN max_devices integer CHECK (max_devices IS NULL OR max_devices > 0),
  ADD COLUMN enrolled_devices integer NOT NULL DEFAULT 0;
CREATE INDEX enrollment_tokens_org ON enrollment_tokens (org_id, created_at);
