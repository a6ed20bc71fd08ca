-- Stint server schema. Every table carries org_id; row-level security keyed on the
-- transaction's stint.org_id is the second wall behind the org filter in every query.
DO $$
BEGIN
  CREATE ROLE stint_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
  EXECUTE format('GRANT stint_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL; -- superusers may SET ROLE without membership
END $$;

CREATE FUNCTION stint_org() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('stint.org_id', true), '')::uuid $$;

CREATE TABLE orgs (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  retention_days integer CHECK (retention_days IS NULL OR retention_days > 0),
  policy jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'employee')),
  time_zone text NOT NULL DEFAULT 'UTC',
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_org ON users (org_id);

CREATE TABLE teams (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  name text NOT NULL
);
CREATE TABLE team_members (
  org_id uuid NOT NULL REFERENCES orgs(id),
  team_id uuid NOT NULL REFERENCES teams(id),
  user_id uuid NOT NULL REFERENCES users(id),
  is_manager boolean NOT NULL DEFAULT false,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE projects (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  name text NOT NULL,
  archived boolean NOT NULL DEFAULT false
);
CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  project_id uuid NOT NULL REFERENCES projects(id),
  name text NOT NULL,
  archived boolean NOT NULL DEFAULT false
);

CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  family_id uuid NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE enrollment_tokens (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  token_hash bytea NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE devices (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  name text NOT NULL,
  platform text NOT NULL,
  token_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX devices_user ON devices (org_id, user_id);

CREATE TABLE time_entries (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  device_id uuid NOT NULL,
  project_id uuid NOT NULL REFERENCES projects(id),
  task_id uuid REFERENCES tasks(id),
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  stop_reason text,
  received_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX time_entries_user ON time_entries (org_id, user_id, started_at);
CREATE INDEX time_entries_running ON time_entries (org_id, user_id) WHERE ended_at IS NULL;

CREATE TABLE activity_minutes (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  device_id uuid NOT NULL,
  entry_id uuid,
  minute_start timestamptz NOT NULL,
  active_seconds smallint NOT NULL,
  tracked_seconds smallint NOT NULL,
  apps jsonb NOT NULL DEFAULT '[]',
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_minutes_user ON activity_minutes (org_id, user_id, minute_start);

CREATE TABLE idle_spans (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  entry_id uuid,
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  decision text NOT NULL CHECK (decision IN ('keep', 'discard', 'assign')),
  project_id uuid REFERENCES projects(id),
  task_id uuid REFERENCES tasks(id),
  CHECK (ended_at >= started_at)
);
CREATE INDEX idle_spans_user ON idle_spans (org_id, user_id, started_at);

CREATE TABLE screenshots (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  device_id uuid NOT NULL,
  entry_id uuid,
  taken_at timestamptz NOT NULL,
  display_id text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  bytes integer NOT NULL,
  sha256 text NOT NULL,
  md5 text NOT NULL,
  content_type text NOT NULL,
  object_key text NOT NULL,
  thumb_key text,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'stored', 'verified', 'corrupt')),
  received_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  verified_at timestamptz
);
CREATE INDEX screenshots_user ON screenshots (org_id, user_id, taken_at);

CREATE TABLE sync_ops (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  device_id uuid NOT NULL,
  kind text NOT NULL,
  content_hash text NOT NULL,
  result jsonb NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs(id),
  actor_id uuid,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_org ON audit_log (org_id, at);

ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON orgs USING (id = stint_org()) WITH CHECK (id = stint_org());
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'teams', 'team_members', 'projects', 'tasks', 'refresh_tokens',
    'enrollment_tokens', 'devices', 'time_entries', 'activity_minutes', 'idle_spans', 'screenshots',
    'sync_ops', 'audit_log']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY org_isolation ON %I USING (org_id = stint_org()) WITH CHECK (org_id = stint_org())', t);
  END LOOP;
END $$;

GRANT USAGE ON SCHEMA public TO stint_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO stint_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO stint_app;
GRANT EXECUTE ON FUNCTION stint_org() TO stint_app;
