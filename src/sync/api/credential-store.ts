import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * How this device proves who it is. IT enrolls a device (long-lived, revocable device token);
 * a person signs in with a password (rotating refresh token). Both carry the device's own id.
 */
export const credentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('device'), serverUrl: z.string(), deviceId: z.string(), deviceToken: z.string() }),
  z.object({ kind: z.literal('user'), serverUrl: z.string(), deviceId: z.string(), refreshToken: z.string() }),
]);
export type Credentials = z.infer<typeof credentialsSchema>;

/** Port: Electron keeps these in safeStorage; the agent in a 0600 file. */
export interface CredentialStore {
  load(): Credentials | null;
  save(credentials: Credentials): void;
}

export function memoryCredentialStore(initial: Credentials | null = null): CredentialStore {
  let value = initial;
  return { load: () => value, save: (c) => void (value = c) };
}

/** A JSON file written atomically (temp, fsync, rename, fsync of the folder) with owner-only permissions. */
export function fileCredentialStore(path: string): CredentialStore {
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      const parsed = credentialsSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`credentials file ${path} is not valid: ${parsed.error.message}`);
      return parsed.data;
    },
    save(credentials) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(credentials), { mode: 0o600 });
      fsyncPath(tmp);
      renameSync(tmp, path);
      // The rename itself must survive a power cut: a rotated refresh token lost with it leaves
      // only the spent one, and the next refresh ends the session.
      fsyncPath(dirname(path));
    },
  };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
