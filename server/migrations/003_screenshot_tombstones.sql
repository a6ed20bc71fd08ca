-- A screenshot deleted by its owner while its upload was still in flight (the delete op can
-- reach the server before, between or after the declaration and `complete`) must never be
-- stored later. The tombstone remembers the id (and its object key, when one was handed out).
CREATE TABLE screenshot_tombstones (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  object_key text,
  deleted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX screenshot_tombstones_deleted ON screenshot_tombstones (deleted_at);
ALTER TABLE screenshot_tombstones ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON screenshot_tombstones USING (org_id = stint_org()) WITH CHECK (org_id = stint_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON screenshot_tombstones TO stint_app;
