import Database from 'better-sqlite3';
import { migrate } from './migrations';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** WAL size kept after a checkpoint (bytes). */
  journalSizeLimit?: number;
}

/**
 * Opens the outbox: WAL, synchronous=FULL (a committed row survives power loss),
 * bounded WAL, versioned migrations.
 */
export function openDb(file: string, options: OpenDbOptions = {}): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`journal_size_limit = ${options.journalSizeLimit ?? 4 * 1024 * 1024}`);
    db.pragma('wal_autocheckpoint = 1000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Truncating checkpoint; run periodically so the WAL file does not keep its high-water size. */
export function checkpoint(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

export function quickCheck(db: Db): string[] {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((r) => r.quick_check).filter((s) => s !== 'ok');
  return problems;
}
