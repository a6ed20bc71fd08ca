import type { ScreenshotContentType } from '../../shared/http/screenshots';
import type { ScreenshotJob } from './outbox-port';
import type { Db } from './open-db';

export type ScreenshotState = 'captured' | 'uploading' | 'done' | 'dead';

/** What a screenshot row says about its files: the sync engine's job, plus the thumbnail. */
export interface ScreenshotRecord extends Omit<ScreenshotJob, 'attempts'> {
  thumbPath: string | null;
}

export interface StoredScreenshot extends ScreenshotRecord {
  state: ScreenshotState;
  attempts: number;
  lastError: string | null;
  doneAt: number | null;
}

export interface ScreenshotRow {
  id: string;
  entry_id: string | null;
  taken_at: number;
  display_id: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  md5: string;
  content_type: string;
  file_path: string;
  thumb_path: string | null;
  state: ScreenshotState;
  attempts: number;
  last_error: string | null;
  done_at: number | null;
}

export const fromRow = (r: ScreenshotRow): StoredScreenshot => ({
  id: r.id,
  entryId: r.entry_id,
  takenAt: r.taken_at,
  displayId: r.display_id,
  width: r.width,
  height: r.height,
  bytes: r.bytes,
  sha256: r.sha256,
  md5: r.md5,
  contentType: r.content_type as ScreenshotContentType,
  filePath: r.file_path,
  thumbPath: r.thumb_path,
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  doneAt: r.done_at,
});

/** Rows point at files; no image bytes ever enter the database. */
export function createScreenshotsRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO screenshots (id, entry_id, taken_at, display_id, width, height, bytes, sha256, md5, content_type,
       file_path, thumb_path, state, next_attempt_at)
     VALUES (@id, @entryId, @takenAt, @displayId, @width, @height, @bytes, @sha256, @md5, @contentType,
       @filePath, @thumbPath, 'captured', @takenAt)
     ON CONFLICT (id) DO NOTHING`,
  );
  return {
    /** Idempotent by id: a replayed insert after a crash is a no-op. */
    insert(rec: ScreenshotRecord): boolean {
      return insert.run(rec).changes === 1;
    },
    get(id: string): StoredScreenshot | undefined {
      const r = db.prepare(`SELECT * FROM screenshots WHERE id = ?`).get(id) as ScreenshotRow | undefined;
      return r && fromRow(r);
    },
    recent(limit: number): StoredScreenshot[] {
      return (db.prepare(`SELECT * FROM screenshots ORDER BY taken_at DESC, id DESC LIMIT ?`).all(limit) as ScreenshotRow[]).map(
        fromRow,
      );
    },
    remove(id: string): boolean {
      return db.prepare(`DELETE FROM screenshots WHERE id = ?`).run(id).changes === 1;
    },
    /** Done rows whose files may go (uploaded before `before`), files still on disk. */
    doneWithFiles(before: number, limit = 500): StoredScreenshot[] {
      return (
        db
          .prepare(`SELECT * FROM screenshots INDEXED BY screenshots_files_pending
                    WHERE state = 'done' AND files_removed = 0 AND done_at <= ? LIMIT ?`)
          .all(before, limit) as ScreenshotRow[]
      ).map(fromRow);
    },
    markFilesRemoved(id: string): void {
      db.prepare(`UPDATE screenshots SET files_removed = 1 WHERE id = ?`).run(id);
    },
    markMissingFile(id: string, now: number): void {
      db.prepare(
        `UPDATE screenshots SET state = 'dead', lease_until = NULL, last_error = 'image file missing on disk', failed_at = ?
         WHERE id = ? AND state IN ('captured', 'uploading')`,
      ).run(now, id);
    },
    all(): StoredScreenshot[] {
      return (db.prepare(`SELECT * FROM screenshots ORDER BY taken_at`).all() as ScreenshotRow[]).map(fromRow);
    },
    /** Rows still waiting for the server (their files must be on disk). */
    unsynced(): StoredScreenshot[] {
      return (db.prepare(`SELECT * FROM screenshots WHERE state IN ('captured', 'uploading')`).all() as ScreenshotRow[]).map(fromRow);
    },
  };
}
export type ScreenshotsRepository = ReturnType<typeof createScreenshotsRepository>;
