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
  // Status reads queue counts on every call: kept by triggers, so a week-offline backlog of
  // 100,000 rows costs an index seek instead of a 30 ms scan on the thread serving the UI.
  `
  CREATE TABLE queue_totals (
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    n INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (kind, state)
  ) WITHOUT ROWID;
  INSERT INTO queue_totals (kind, state, n, bytes)
    SELECT 'screenshot', s.state, count(x.id), coalesce(sum(x.bytes), 0)
    FROM (SELECT 'captured' AS state UNION ALL SELECT 'uploading' UNION ALL SELECT 'done' UNION ALL SELECT 'dead') s
    LEFT JOIN screenshots x ON x.state = s.state GROUP BY s.state;
  INSERT INTO queue_totals (kind, state, n, bytes)
    SELECT 'op', s.state, count(x.id), 0
    FROM (SELECT 'pending' AS state UNION ALL SELECT 'sending' UNION ALL SELECT 'done' UNION ALL SELECT 'dead') s
    LEFT JOIN ops x ON x.state = s.state GROUP BY s.state;

  CREATE TRIGGER screenshots_totals_insert AFTER INSERT ON screenshots BEGIN
    UPDATE queue_totals SET n = n + 1, bytes = bytes + NEW.bytes WHERE kind = 'screenshot' AND state = NEW.state;
  END;
  CREATE TRIGGER screenshots_totals_delete AFTER DELETE ON screenshots BEGIN
    UPDATE queue_totals SET n = n - 1, bytes = bytes - OLD.bytes WHERE kind = 'screenshot' AND state = OLD.state;
  END;
  CREATE TRIGGER screenshots_totals_update AFTER UPDATE OF state, bytes ON screenshots
  WHEN OLD.state IS NOT NEW.state OR OLD.bytes IS NOT NEW.bytes BEGIN
    UPDATE queue_totals SET n = n - 1, bytes = bytes - OLD.bytes WHERE kind = 'screenshot' AND state = OLD.state;
    UPDATE queue_totals SET n = n + 1, bytes = bytes + NEW.bytes WHERE kind = 'screenshot' AND state = NEW.state;
  END;
  CREATE TRIGGER ops_totals_insert AFTER INSERT ON ops BEGIN
    UPDATE queue_totals SET n = n + 1 WHERE kind = 'op' AND state = NEW.state;
  END;
  CREATE TRIGGER ops_totals_delete AFTER DELETE ON ops BEGIN
    UPDATE queue_totals SET n = n - 1 WHERE kind = 'op' AND state = OLD.state;
  END;
  CREATE TRIGGER ops_totals_update AFTER UPDATE OF state ON ops WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE queue_totals SET n = n - 1 WHERE kind = 'op' AND state = OLD.state;
    UPDATE queue_totals SET n = n + 1 WHERE kind = 'op' AND state = NEW.state;
  END;

  DROP INDEX screenshots_state;
  CREATE INDEX screenshots_state ON screenshots(state, taken_at);
  DROP INDEX ops_state;
  CREATE INDEX ops_state ON ops(state, created_at);
  -- Housekeeping looks only at uploaded rows whose files are still on disk, never at months of done rows.
  CREATE INDEX screenshots_files_pending ON screenshots(done_at) WHERE state = 'done' AND files_removed = 0;
  `,
];

export const SCHEMA_VERSION = migrations.length;

/** Brings the schema to `target` (default: this build's version); tests stop earlier to make an old outbox. */
export function migrate(db: Database.Database, target = migrations.length): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`outbox schema v${current} is newer than this build (v${migrations.length}); refusing to touch it`);
  }
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return Math.max(current, target);
}
