import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { v5 as uuidv5, validate as isUuid } from 'uuid';
import type { BlobStore } from '../store/blob/blob-store';
import { screenshotKey } from '../store/blob/object-keys';
import type { Db } from '../store/db';
import type { JobQueue } from '../store/job-queue';
import * as ledger from '../store/legacy-ledger.repository';
import type { LegacyMeta, LegacySource } from '../store/legacy-source.repository';
import { SCREENSHOT_JOB } from '../services/screenshots.service';
import { readLegacyImage } from './legacy-image';

/** Namespace of the ids made for legacy rows whose id is not a UUID, and of the per-user import device. */
const NAMESPACE = '5b0f3c55-8f7e-4d8a-9a57-5f1c8e0e7a11';

export interface MigrateOptions {
  /** Rows read per keyset page (metadata only). */
  pageRows: number;
  /** Image bytes held at once: a page is cut into chunks under this budget (one row may exceed it alone). */
  chunkBytes: number;
  /** PUTs (and verifying GETs) in flight. */
  concurrency: number;
}

export const DEFAULT_OPTIONS: MigrateOptions = { pageRows: 500, chunkBytes: 8 * 1024 * 1024, concurrency: 8 };

export interface Tally {
  migrated: number;
  /** Already in Stint with the same bytes (another source, an earlier run): recorded, not copied. */
  alreadyInStint: number;
  skipped: number;
  bytes: number;
  /** Objects a killed run had written without a row, deleted at start. */
  orphansRemoved: number;
}

export interface MigratorPorts {
  db: Db;
  blobs: BlobStore;
  jobs: JobQueue;
  legacy: LegacySource;
  /** Names the legacy table in Stint's ledger (see sourceName). */
  source: string;
  onProgress?(t: Tally, scannedRows: number, scannedBytes: number): void;
  /** Asked between chunks; true stops cleanly (the next run resumes). */
  stopRequested?(): boolean;
}

/** host:port/database/table without credentials: the same table reached by another password is the same source. */
export function sourceName(url: string, table: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}/${table}`;
}

interface Prepared {
  shot: ledger.MigratedShot;
  body: Buffer;
}

type Verdict = { kind: 'put'; p: Prepared } | { kind: 'known'; p: Prepared } | { kind: 'skip'; reason: string };

const STORE_TIMEOUT_MS = 60_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the blob store did not answer ${what} within ${STORE_TIMEOUT_MS / 1000} s`)), STORE_TIMEOUT_MS);
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Moves legacy screenshots into the blob store and Stint's rows, chunk by chunk:
 * 1. the chunk's object keys are recorded as pending (committed);
 * 2. each object is PUT and read back, its sha256 compared with the legacy bytes';
 * 3. one transaction inserts the screenshot rows, the ledger rows, the skips, the thumbnail jobs
 *    and the checkpoint, and clears the pending keys.
 * A kill anywhere leaves at most pending keys (their objects are deleted at the next start unless a
 * row points at them) and rows past the checkpoint that the ledger then skips: re-running is safe.
 */
export class LegacyMigrator {
  readonly tally: Tally = { migrated: 0, alreadyInStint: 0, skipped: 0, bytes: 0, orphansRemoved: 0 };
  private scannedRows = 0;
  private scannedBytes = 0;

  constructor(
    private readonly ports: MigratorPorts,
    private readonly opts: MigrateOptions = DEFAULT_OPTIONS,
  ) {}

  async run(): Promise<{ finished: boolean }> {
    const { db, source } = this.ports;
    const lock = await db.pool.connect();
    try {
      if (!(await ledger.tryLockSource(lock, source))) throw new Error(`another migration of ${source} is running`);
      await this.removeLeftovers();
      let after = await db.system((tx) => ledger.lastCheckpoint(tx, source));
      // A pass resumed from a checkpoint is followed by one from the start: rows inserted since
      // the interrupted pass began may sort before the checkpoint (ids need not grow).
      let fromStart = after === null;
      for (;;) {
        if (this.ports.stopRequested?.()) return { finished: false };
        const page = await this.ports.legacy.page(after, this.opts.pageRows);
        if (page.length === 0) {
          await db.system((tx) => ledger.clearCheckpoint(tx, source));
          if (fromStart) return { finished: true };
          [after, fromStart] = [null, true];
          continue;
        }
        for (const chunk of this.chunks(page)) {
          if (this.ports.stopRequested?.()) return { finished: false };
          await this.migrateChunk(after, chunk);
          after = chunk[chunk.length - 1]!.id;
        }
      }
    } finally {
      await ledger.unlockSource(lock, source).catch(() => undefined);
      lock.release();
    }
  }

  /** Where the scan starts (rows before it are done), for the progress bar's totals. */
  checkpoint(): Promise<string | null> {
    return this.ports.db.system((tx) => ledger.lastCheckpoint(tx, this.ports.source));
  }

  private async removeLeftovers(): Promise<void> {
    const { db, blobs, source } = this.ports;
    const left = await db.system((tx) => ledger.leftoverObjects(tx, source));
    const orphans = left.filter((l) => !l.referenced).map((l) => l.key);
    if (orphans.length) await blobs.delete(orphans);
    await db.system((tx) => ledger.dropPendingObjects(tx, left.map((l) => l.key)));
    this.tally.orphansRemoved += orphans.length;
  }

  private *chunks(page: LegacyMeta[]): Generator<LegacyMeta[]> {
    let chunk: LegacyMeta[] = [];
    let bytes = 0;
    for (const row of page) {
      if (chunk.length > 0 && bytes + row.size > this.opts.chunkBytes) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(row);
      bytes += row.size;
    }
    if (chunk.length) yield chunk;
  }

  private async migrateChunk(after: string | null, chunk: LegacyMeta[]): Promise<void> {
    const { db, blobs, jobs, source } = this.ports;
    const last = chunk[chunk.length - 1]!.id;
    const verdicts = await this.judge(after, chunk);
    const puts = [...verdicts.values()].flatMap((v) => (v.kind === 'put' ? [v.p] : []));
    await db.system((tx) => ledger.addPendingObjects(tx, source, puts.map((p) => p.shot.objectKey)));
    const limit = pLimit(this.opts.concurrency);
    const failed = new Map<string, string>();
    await Promise.all(
      puts.map((p) =>
        limit(async () => {
          const reason = await this.putVerified(p);
          if (reason) failed.set(p.shot.legacyId, reason);
        }),
      ),
    );
    const shots: ledger.MigratedShot[] = [];
    const skips: Array<{ legacyId: string; reason: string }> = [];
    for (const [legacyId, v] of verdicts) {
      const reason = v.kind === 'skip' ? v.reason : failed.get(legacyId);
      if (reason) skips.push({ legacyId, reason });
      else if (v.kind === 'put' || v.kind === 'known') shots.push(v.p.shot);
    }
    const copied = shots.filter((s) => verdicts.get(s.legacyId)?.kind === 'put');
    await db.system(async (tx) => {
      await ledger.insertMigrated(tx, source, shots);
      await ledger.recordSkipped(tx, source, skips);
      for (const s of copied) await jobs.send(SCREENSHOT_JOB, { orgId: s.orgId, screenshotId: s.id }, tx);
      await ledger.dropPendingObjects(tx, copied.map((s) => s.objectKey));
      await ledger.saveCheckpoint(tx, source, last);
    });
    // A PUT that failed verification leaves no object behind (its pending key is dropped with it).
    const bad = puts.filter((p) => failed.has(p.shot.legacyId)).map((p) => p.shot.objectKey);
    if (bad.length) {
      await blobs.delete(bad);
      await db.system((tx) => ledger.dropPendingObjects(tx, bad));
    }
    if (copied.length) jobs.wake(SCREENSHOT_JOB);
    this.tally.migrated += copied.length;
    this.tally.alreadyInStint += shots.length - copied.length;
    this.tally.skipped += skips.length;
    this.tally.bytes += copied.reduce((n, s) => n + s.bytes, 0);
    this.scannedRows += chunk.length;
    this.scannedBytes += chunk.reduce((n, r) => n + r.size, 0);
    this.ports.onProgress?.(this.tally, this.scannedRows, this.scannedBytes);
  }

  /**
   * PUT, then read back: a string says why the object in the store is not the legacy bytes. A store
   * that stops answering (a full RGW holds PUTs) fails the run after STORE_TIMEOUT_MS; re-run to resume.
   */
  private async putVerified(p: Prepared): Promise<string | null> {
    const { blobs } = this.ports;
    for (let attempt = 1; ; attempt++) {
      await withTimeout(blobs.put(p.shot.objectKey, p.body, p.shot.contentType), `PUT ${p.shot.objectKey}`);
      const back = sha256(await withTimeout(blobs.get(p.shot.objectKey), `GET ${p.shot.objectKey}`));
      if (back === p.shot.sha256) return null;
      if (attempt === 2) return `the stored object's sha256 ${back} is not the legacy image's ${p.shot.sha256}`;
    }
  }

  /** What to do with each row of the chunk that no earlier run handled. */
  private async judge(after: string | null, chunk: LegacyMeta[]): Promise<Map<string, Verdict>> {
    const { db, legacy, source } = this.ports;
    const out = new Map<string, Verdict>();
    const handled = await db.system((tx) => ledger.handledIds(tx, source, chunk.map((r) => r.id)));
    const todo = chunk.filter((r) => !handled.has(r.id));
    if (todo.length === 0) return out;
    const ids = new Map(todo.map((r) => [r.id, isUuid(r.id) ? r.id.toLowerCase() : uuidv5(`${source}#${r.id}`, NAMESPACE)]));
    const [orgs, existing] = await db.system((tx) =>
      Promise.all([ledger.orgsOfUsers(tx, [...new Set(todo.map((r) => r.userId))]), ledger.existingShots(tx, [...ids.values()])]),
    );
    const images = await legacy.images(after, chunk[chunk.length - 1]!.id);
    for (const row of todo) {
      const id = ids.get(row.id)!;
      const orgId = orgs.get(row.userId);
      if (!orgId) {
        out.set(row.id, { kind: 'skip', reason: `no Stint user ${row.userId}: create or import the user, then re-run` });
        continue;
      }
      if (!(row.takenAt instanceof Date) || Number.isNaN(row.takenAt.getTime())) {
        out.set(row.id, { kind: 'skip', reason: 'the row has no valid taken-at time' });
        continue;
      }
      if (existing.tombstoned.has(id)) {
        out.set(row.id, { kind: 'skip', reason: `screenshot ${id} was deleted in Stint` });
        continue;
      }
      const img = await readLegacyImage(images.get(row.id) ?? null, legacy.encoding);
      if (typeof img === 'string') {
        out.set(row.id, { kind: 'skip', reason: img });
        continue;
      }
      const prior = existing.rows.get(id);
      if (prior !== undefined && prior !== img.sha256) {
        out.set(row.id, { kind: 'skip', reason: `Stint already has screenshot ${id} with other bytes` });
        continue;
      }
      const shot: ledger.MigratedShot = {
        legacyId: row.id,
        id,
        orgId,
        userId: row.userId,
        deviceId: uuidv5(`legacy-import:${row.userId}`, NAMESPACE),
        takenAt: row.takenAt,
        width: img.width,
        height: img.height,
        bytes: img.body.length,
        sha256: img.sha256,
        md5: img.md5,
        contentType: img.contentType,
        objectKey: screenshotKey({ orgId, userId: row.userId, screenshotId: id, takenAt: row.takenAt, contentType: img.contentType }),
      };
      out.set(row.id, { kind: prior === undefined ? 'put' : 'known', p: { shot, body: img.body } });
    }
    return out;
  }
}
