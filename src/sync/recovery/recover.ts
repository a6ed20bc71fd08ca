import { existsSync, readdirSync, renameSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { checkpoint, type Db } from '../db/open-db';
import { openOutbox, releaseLeases, type OpenedOutbox } from '../db/outbox';
import { createScreenshotsRepository } from '../db/screenshots.repository';
import { hasDeleteOp } from '../db/ops.repository';
import { idTime } from '../../shared/ids';
import { digests } from '../capture/encoder';
import { contentTypeOf, parseShotName } from '../capture/shot-files';
import { TEMP_SUFFIX } from '../capture/atomic-file';

export interface RecoveryReport {
  corruptMovedTo: string | null;
  tempFilesRemoved: number;
  orphansAdopted: number;
  deletedFilesRemoved: number;
  strayThumbsRemoved: number;
  missingFiles: number;
  /** Orphan image files that could not be read, renamed to `*.unreadable`. */
  unreadableFiles: number;
  leasesReleased: number;
}

export const UNREADABLE_SUFFIX = '.unreadable';

export interface Outbox extends Omit<OpenedOutbox, 'corruptMovedTo'> {
  report: RecoveryReport;
}

/**
 * Opens the outbox (db/outbox.ts: a corrupt database is moved aside and a new one made) and
 * repairs what a crash or power cut can leave behind: files are reconciled with the rows, and
 * leases of the dead process return to the queue.
 */
export async function recoverOutbox(dataDir: string, now: number): Promise<Outbox> {
  const opened = openOutbox(dataDir, now);
  const { db, shotsDir, corruptMovedTo } = opened;
  const report = await repairFiles(db, shotsDir, now);
  report.corruptMovedTo = corruptMovedTo;
  report.leasesReleased = releaseLeases(db);
  checkpoint(db);
  return { db, dbFile: opened.dbFile, shotsDir, report };
}

async function repairFiles(db: Db, dir: string, now: number): Promise<RecoveryReport> {
  const shots = createScreenshotsRepository(db);
  const report: RecoveryReport = {
    corruptMovedTo: null,
    tempFilesRemoved: 0,
    orphansAdopted: 0,
    deletedFilesRemoved: 0,
    strayThumbsRemoved: 0,
    missingFiles: 0,
    unreadableFiles: 0,
    leasesReleased: 0,
  };
  const names = readdirSync(dir);
  const fulls = new Set<string>();
  for (const name of names) {
    if (name.endsWith(TEMP_SUFFIX)) {
      await unlink(join(dir, name)).catch(() => undefined);
      report.tempFilesRemoved++;
      continue;
    }
    const p = parseShotName(name);
    if (p && !p.thumb) fulls.add(p.id);
  }
  // One lookup per file on disk (few), not a load of every row the outbox ever held (many).
  const filesRemovedOf = db.prepare(`SELECT files_removed FROM screenshots WHERE id = ?`).pluck();
  const rowOf = (id: string) => filesRemovedOf.get(id) as number | undefined;
  const known = { has: (id: string) => rowOf(id) !== undefined };
  const removedIds = { has: (id: string) => rowOf(id) === 1 };
  for (const name of names) {
    const p = parseShotName(name);
    if (!p) continue;
    const path = join(dir, name);
    if (p.thumb) {
      if ((!fulls.has(p.id) && !known.has(p.id)) || removedIds.has(p.id)) {
        await unlink(path).catch(() => undefined);
        report.strayThumbsRemoved++;
      }
      continue;
    }
    if (removedIds.has(p.id)) {
      // An uploaded screenshot whose file removal a crash interrupted.
      await unlink(path).catch(() => undefined);
      await unlink(path.replace(new RegExp(`\\.${p.ext}$`), `.thumb.${p.ext}`)).catch(() => undefined);
      report.deletedFilesRemoved++;
      continue;
    }
    if (known.has(p.id)) continue;
    if (hasDeleteOp(db, p.id)) {
      // Deleted by the user; the crash came between the row's removal and the file's.
      await unlink(path).catch(() => undefined);
      await unlink(path.replace(new RegExp(`\\.${p.ext}$`), `.thumb.${p.ext}`)).catch(() => undefined);
      report.deletedFilesRemoved++;
      continue;
    }
    try {
      await adopt(db, path, p, dir);
      report.orphansAdopted++;
    } catch {
      // A file no decoder reads must not stop the tracker from starting: it is kept aside, not deleted.
      renameSync(path, `${path}${UNREADABLE_SUFFIX}`);
      report.unreadableFiles++;
    }
  }
  for (const s of shots.unsynced()) {
    if (!existsSync(s.filePath)) {
      shots.markMissingFile(s.id, now);
      report.missingFiles++;
    }
  }
  return report;
}

/** An image file that reached its final name but whose row never committed: it becomes a row now. */
async function adopt(db: Db, path: string, p: NonNullable<ReturnType<typeof parseShotName>>, dir: string): Promise<void> {
  const data = await readFile(path);
  const meta = await sharp(data).metadata();
  const takenAt = idTime(p.id);
  const thumb = join(dir, `${p.id}.${p.displayId}.thumb.${p.ext}`);
  const entry = db
    .prepare(`SELECT id FROM entries WHERE started_at <= ? AND coalesce(ended_at, heartbeat_at) >= ? ORDER BY started_at DESC LIMIT 1`)
    .pluck()
    .get(takenAt, takenAt) as string | undefined;
  createScreenshotsRepository(db).insert({
    id: p.id,
    entryId: entry ?? null,
    takenAt,
    displayId: p.displayId,
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    bytes: data.length,
    ...digests(data),
    contentType: contentTypeOf(p.ext),
    filePath: path,
    thumbPath: existsSync(thumb) ? thumb : null,
  });
}

/** Files of uploaded screenshots go once the policy's keep-local period has passed. */
export async function sweepDoneFiles(db: Db, now: number, keepMs: number): Promise<number> {
  const shots = createScreenshotsRepository(db);
  let removed = 0;
  for (const s of shots.doneWithFiles(now - keepMs)) {
    // Row first: a crash between the two leaves a file that start-up recovery removes,
    // never a row that claims a file that is gone.
    shots.markFilesRemoved(s.id);
    await unlink(s.filePath).catch(() => undefined);
    if (s.thumbPath) await unlink(s.thumbPath).catch(() => undefined);
    removed++;
  }
  return removed;
}
