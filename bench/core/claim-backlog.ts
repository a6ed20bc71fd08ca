import { openDb } from '../../src/sync/db/open-db';
import { createUploadQueue } from '../../src/sync/db/upload-queue';
import { newId } from '../../src/shared/ids';
import { queueCounts } from '../../src/sync/db/queue-counts';
import { percentile, round } from './stats';

/** Claim and status-count latency with `backlog` screenshots and `backlog` ops queued. */
export function claimBacklog(file: string, backlog: number) {
  const db = openDb(file);
  const t0 = Date.UTC(2026, 0, 1);
  const shot = db.prepare(
    `INSERT INTO screenshots (id, entry_id, taken_at, display_id, width, height, bytes, sha256, md5, content_type, file_path, state, next_attempt_at)
     VALUES (?, NULL, ?, 'screen', 1920, 1080, 120000, ?, 'AAAAAAAAAAAAAAAAAAAAAA==', 'image/webp', ?, 'captured', ?)`,
  );
  const op = db.prepare(
    `INSERT INTO ops (id, kind, subject_id, payload, created_at, state, next_attempt_at) VALUES (?, 'screenshot.delete', ?, ?, ?, 'pending', ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < backlog; i++) {
      const at = t0 + i * 1000;
      const id = newId(at);
      shot.run(id, at, 'a'.repeat(64), `/data/${id}.webp`, at);
      const opId = newId(at);
      op.run(opId, id, JSON.stringify({ id: opId, kind: 'screenshot.delete', screenshotId: id, deletedAt: new Date(at).toISOString() }), at, at);
    }
  })();
  const q = createUploadQueue(db);
  const now = t0 + backlog * 1000;
  const shots: number[] = [];
  const ops: number[] = [];
  for (let i = 0; i < 200; i++) {
    let t = performance.now();
    q.claimScreenshots(10, 60_000, now);
    shots.push(performance.now() - t);
    t = performance.now();
    q.claimOps(100, 60_000, now);
    ops.push(performance.now() - t);
  }
  // What every status call (UI poll, each event) pays for the queue counts at this backlog.
  const counts: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    queueCounts(db, now);
    counts.push(performance.now() - t);
  }
  const commits: number[] = [];
  for (let i = 0; i < 100; i++) {
    const at = now + i;
    const t = performance.now();
    shot.run(newId(at), at, 'b'.repeat(64), `/data/x${i}.webp`, at);
    commits.push(performance.now() - t);
  }
  db.close();
  return {
    backlog,
    claimShotsMsP50: round(percentile(shots, 50), 3),
    claimShotsMsP95: round(percentile(shots, 95), 3),
    claimOpsMsP50: round(percentile(ops, 50), 3),
    claimOpsMsP95: round(percentile(ops, 95), 3),
    statusCountsMsP50: round(percentile(counts, 50), 3),
    statusCountsMsP95: round(percentile(counts, 95), 3),
    commitMsP50: round(percentile(commits, 50), 3),
    commitMsP95: round(percentile(commits, 95), 3),
  };
}
