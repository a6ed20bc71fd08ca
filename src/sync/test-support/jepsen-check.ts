import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { readJournal } from './device-journal';
import { serverTruth } from './server-truth';

/**
 * The end-of-run check: every record the device ACKed (durable in its outbox) is on the server
 * exactly once, confirmed (`received`: batch complete, no worker runs here) with its object in S3
 * byte for byte (the server did not HEAD it, so this check reads it); nothing is on the server the device never began; the outbox is empty.
 */
export async function expectJepsenClean(opts: {
  journalPath: string;
  databaseUrl: string;
  deviceId: string;
  outbox: { screenshots: number; ops: number; dead: number };
  objects: { s3: S3Client; bucket: string };
}): Promise<{ acked: number; begun: number; onServer: number }> {
  const journal = readJournal(opts.journalPath);
  const truth = await serverTruth(opts.databaseUrl, opts.deviceId);
  const missingShots = [...journal.acked.shot].filter((id) => truth.shots.get(id)?.state !== 'received');
  const missingOps = [...journal.acked.op].filter((id) => !truth.ops.has(id));
  expect({ missingShots, missingOps }).toEqual({ missingShots: [], missingOps: [] });
  for (const row of truth.shots.values()) expect(row.count).toBe(1);
  const unlike: string[] = [];
  for (const id of journal.acked.shot) {
    const row = truth.shots.get(id)!;
    const object = await opts.objects.s3.send(new GetObjectCommand({ Bucket: opts.objects.bucket, Key: row.objectKey }));
    if (createHash('sha256').update(await object.Body!.transformToByteArray()).digest('hex') !== row.sha256) unlike.push(id);
  }
  expect({ objectsUnlikeTheirRow: unlike }).toEqual({ objectsUnlikeTheirRow: [] });
  for (const n of truth.ops.values()) expect(n).toBe(1);
  const unknownShots = [...truth.shots.keys()].filter((id) => !journal.begun.shot.has(id));
  const unknownOps = [...truth.ops.keys()].filter((id) => !journal.begun.op.has(id));
  expect({ unknownShots, unknownOps }).toEqual({ unknownShots: [], unknownOps: [] });
  expect(opts.outbox).toMatchObject({ screenshots: 0, ops: 0, dead: 0 });
  return {
    acked: journal.acked.shot.size + journal.acked.op.size,
    begun: journal.begun.shot.size + journal.begun.op.size,
    onServer: truth.shots.size + truth.ops.size,
  };
}
