import { expect } from 'vitest';
import { readJournal } from './device-journal';
import { serverTruth } from './server-truth';

/**
 * The end-of-run check: every record the device ACKed (durable in its outbox) is on the server
 * exactly once and stored; nothing is on the server the device never began; the outbox is empty.
 */
export async function expectJepsenClean(opts: {
  journalPath: string;
  databaseUrl: string;
  deviceId: string;
  outbox: { screenshots: number; ops: number; dead: number };
}): Promise<{ acked: number; begun: number; onServer: number }> {
  const journal = readJournal(opts.journalPath);
  const truth = await serverTruth(opts.databaseUrl, opts.deviceId);
  const missingShots = [...journal.acked.shot].filter((id) => truth.shots.get(id)?.state !== 'stored');
  const missingOps = [...journal.acked.op].filter((id) => !truth.ops.has(id));
  expect({ missingShots, missingOps }).toEqual({ missingShots: [], missingOps: [] });
  for (const row of truth.shots.values()) expect(row.count).toBe(1);
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
