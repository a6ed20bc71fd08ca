import type Database from 'better-sqlite3';

/** Versioned migrations: index + 1 is the schema version kept in PRAGMA user_version. */
const migrations: string[] = [
  `
  CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    task_id TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    heartbeat_at INTEGER NOT NULL,
    stop_reason TEXT
  );
  CREATE INDEX entries_open ON entries(ended_at) WHERE ended_at IS NULL;
  CREATE INDEX entries_started ON entries(started_at);

  CREATE TABLE activity_minutes (
    id TEXT PRIMARY KEY,
    entry_id TEXT,
    minute_start INTEGER NOT NULL UNIQUE,
    active_seconds INTEGER NOT NULL,
    tracked_seconds INTEGER NOT NULL,
    apps TEXT NOT NULL
  );

  CREATE TABLE screenshots (
    id TEXT PRIMARY KEY,
    entry_id TEXT,
    taken_at INTEGER NOT NULL,
    display_id TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    md5 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_path TEXT NOT NULL,
    thumb_path TEXT,
    state TEXT NOT NULL CHECK (state IN ('captured', 'uploading', 'done', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    last_error TEXT,
    failed_at INTEGER,
    done_at INTEGER,
    files_removed INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX screenshots_queue ON screenshots(next_attempt_at) WHERE state IN ('captured', 'uploading');
  CREATE INDEX screenshots_taken ON screenshots(taken_at);
  CREATE INDEX screenshots_state ON screenshots(state);

  CREATE TABLE ops (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    last_error TEXT,
    failed_at INTEGER,
    done_at INTEGER
  );
  CREATE INDEX ops_queue ON ops(next_attempt_at) WHERE state IN ('pending', 'sending');
  CREATE INDEX ops_subject ON ops(subject_id);
  CREATE INDEX ops_state ON ops(state);

  CREATE TABLE idle_spans (
    id TEXT PRIMARY KEY,
    entry_id TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    decision TEXT,
    decided_at INTEGER
  );
  CREATE INDEX idle_spans_pending ON idle_spans(decision) WHERE decision IS NULL;

  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
];

export const SCHEMA_VERSION = migrations.length;

export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`outbox schema v${current} is newer than this build (v${migrations.length}); refusing to touch it`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return migrations.length;
}
