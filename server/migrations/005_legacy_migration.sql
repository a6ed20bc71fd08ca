-- Bookkeeping of `npm run migrate:legacy` (server/legacy): moving screenshots out of a
-- base64/bytea table of the architecture Stint replaces. Only the migration (the owner role)
-- reads these; no request does, so they carry no org_id and no RLS.
-- `source` names the legacy table (host:port/database/table), so two sources never mix.

-- One row per legacy row that is in Stint: written in the transaction that inserts the
-- screenshot, so a re-run skips it even after the screenshot was deleted in Stint.
CREATE TABLE legacy_migrated (
  source text NOT NULL,
  legacy_id text NOT NULL,
  screenshot_id uuid NOT NULL,
  sha256 text NOT NULL,
  bytes integer NOT NULL,
  migrated_at timestamptz NOT NULL DEFAULT now(),
  pruned_at timestamptz,
  PRIMARY KEY (source, legacy_id)
);

-- Legacy rows that cannot be moved (corrupt base64, not an image, unknown user), with the reason.
CREATE TABLE legacy_skipped (
  source text NOT NULL,
  legacy_id text NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, legacy_id)
);

-- Objects about to be written: committed before the PUT, removed in the transaction that
-- inserts the screenshot row. What is left after a kill is deleted from the store at the next
-- start unless a row points at it, so a kill never leaves an orphan object.
CREATE TABLE legacy_pending_objects (
  object_key text PRIMARY KEY,
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- How far the keyset scan of a source got (every legacy id <= last_id is migrated or skipped).
CREATE TABLE legacy_checkpoints (
  source text PRIMARY KEY,
  last_id text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
