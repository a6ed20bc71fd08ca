import type { Db } from '../db/open-db';

/** The device's own key/value settings (the device name the user chose, ...), in the outbox database. */
export function createSettingsRepository(db: Db) {
  return {
    get: (k: string) => db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(k) as string | undefined,
    set: (k: string, v: string) =>
      db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(k, v),
  };
}
export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
