import { afterEach, beforeEach } from 'vitest';
import { join } from 'node:path';
import { openDb, type Db } from '../db/open-db';
import { tempDir } from './temp-dir';

/** A fresh outbox database in a temp dir for each test of the calling file, closed and removed after it. */
export function useTempOutbox(): { readonly db: Db; readonly dir: string } {
  let dir: ReturnType<typeof tempDir> | undefined;
  let db: Db | undefined;
  beforeEach(() => {
    dir = tempDir();
    db = openDb(join(dir.path, 'outbox.db'));
  });
  afterEach(() => {
    if (db?.open) db.close();
    dir?.remove();
  });
  return {
    get db() {
      if (!db) throw new Error('useTempOutbox: the outbox exists only inside a test');
      return db;
    },
    get dir() {
      if (!dir) throw new Error('useTempOutbox: the temp dir exists only inside a test');
      return dir.path;
    },
  };
}
