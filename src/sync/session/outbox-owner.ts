import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Whose records the outbox holds: the server and user they were captured under. */
const ownerSchema = z.object({ serverUrl: z.string(), userId: z.string(), email: z.string() });
export type OutboxOwner = z.infer<typeof ownerSchema>;

const file = (dataDir: string) => join(dataDir, 'servers', 'outbox-owner.json');

export function readOutboxOwner(dataDir: string): OutboxOwner | null {
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(readFileSync(file(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeOutboxOwner(dataDir: string, owner: OutboxOwner): void {
  try {
    mkdirSync(join(dataDir, 'servers'), { recursive: true });
    const tmp = `${file(dataDir)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(owner), { mode: 0o600 });
    renameSync(tmp, file(dataDir));
  } catch {
    // Best effort on a full disk: the guard then knows the previous owner only.
  }
}
