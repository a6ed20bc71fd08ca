import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, quickCheck, type Db } from './open-db';

export interface OpenedOutbox {
  db: Db;
  dbFile: string;
  shotsDir: string;
  /** Where a corrupt database was moved aside (never deleted), or null. */
  corruptMovedTo: string | null;
}

export function outboxPaths(dataDir: string) {
  return { dbFile: join(dataDir, 'outbox.db'), shotsDir: join(dataDir, 'screenshots') };
}

/**
 * Opens the outbox database and its screenshots folder. A corrupt database is moved aside (never
 * deleted) and a new one is made; recovery/recover.ts then rebuilds it from the files on disk.
 */
export function openOutbox(dataDir: string, now: number): OpenedOutbox {
  const { dbFile, shotsDir } = outboxPaths(dataDir);
  mkdirSync(shotsDir, { recursive: true });
  let corruptMovedTo: string | null = null;
  let db: Db;
  try {
    db = openDb(dbFile);
    const problems = quickCheck(db);
    if (problems.length) {
      db.close();
      throw Object.assign(new Error(`quick_check: ${problems.slice(0, 3).join('; ')}`), { code: 'SQLITE_CORRUPT' });
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw err;
    corruptMovedTo = `${dbFile}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(dbFile + suffix)) renameSync(dbFile + suffix, corruptMovedTo + suffix);
    }
    db = openDb(dbFile);
  }
  return { db, dbFile, shotsDir, corruptMovedTo };
}

/** The process that held these leases is gone (we are starting), so they all return to the queue. */
export function releaseLeases(db: Db): number {
  return db.transaction(() => {
    const a = db
      .prepare(`UPDATE screenshots SET state = 'captured', lease_until = NULL, next_attempt_at = taken_at WHERE state = 'uploading'`)
      .run().changes;
    const b = db
      .prepare(`UPDATE ops SET state = 'pending', lease_until = NULL, next_attempt_at = created_at WHERE state = 'sending'`)
      .run().changes;
    return a + b;
  })();
}

