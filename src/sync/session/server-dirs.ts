import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * A credential belongs to one server: each server URL the device has spoken to gets a folder of
 * its own (credential, catalog, clock offset), so pointing the agent at another server enrolls
 * there without touching, or being blocked by, what it holds for the first one.
 */
const LEGACY_FILES = ['credentials.json', 'catalog.json', 'clock.json'] as const;

/** A readable, collision-free folder name: host and port for people, a hash of the whole URL for uniqueness. */
export function serverKey(serverUrl: string): string {
  let readable: string;
  try {
    const u = new URL(serverUrl);
    readable = `${u.hostname}_${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    readable = 'server';
  }
  const hash = createHash('sha256').update(serverUrl.replace(/\/+$/, '')).digest('hex').slice(0, 12);
  return `${readable.replace(/[^a-zA-Z0-9._-]/g, '_')}-${hash}`;
}

export function serverDataDir(dataDir: string, serverUrl: string): string {
  return join(dataDir, 'servers', serverKey(serverUrl));
}

const lastSchema = z.object({ serverUrl: z.string().min(1) });
const lastFile = (dataDir: string) => join(dataDir, 'servers', 'last.json');

/** The server the device used last (the agent's default when STINT_SERVER_URL is not set). */
export function lastServerUrl(dataDir: string): string | null {
  try {
    const parsed = lastSchema.safeParse(JSON.parse(readFileSync(lastFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data.serverUrl : null;
  } catch {
    return null;
  }
}

/** Best effort: a full disk must not stop the agent from starting (it only loses the default). */
export function rememberServer(dataDir: string, serverUrl: string): void {
  if (lastServerUrl(dataDir) === serverUrl) return;
  try {
    mkdirSync(join(dataDir, 'servers'), { recursive: true });
    const tmp = `${lastFile(dataDir)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ serverUrl }), { mode: 0o600 });
    renameSync(tmp, lastFile(dataDir));
  } catch {
    // Next start without STINT_SERVER_URL falls back to the server used before this one.
  }
}

/** After a sign-out: the server is no longer the default of the next start. */
export function forgetServer(dataDir: string, serverUrl: string): void {
  if (lastServerUrl(dataDir) === serverUrl) rmSync(lastFile(dataDir), { force: true });
}

/**
 * Data dirs written before credentials were kept per server hold one credentials.json (and its
 * catalog and clock) at the top: move them into the folder of the server they belong to.
 * A credentials.json that does not parse is left where it is, for the caller to report.
 */
export function adoptLegacyServerFiles(dataDir: string): void {
  const legacy = join(dataDir, 'credentials.json');
  if (!existsSync(legacy)) return;
  let serverUrl: string;
  try {
    const parsed = lastSchema.safeParse(JSON.parse(readFileSync(legacy, 'utf8')));
    if (!parsed.success) return;
    serverUrl = parsed.data.serverUrl;
  } catch {
    return;
  }
  const dir = serverDataDir(dataDir, serverUrl);
  mkdirSync(dir, { recursive: true });
  for (const name of LEGACY_FILES) {
    const from = join(dataDir, name);
    if (existsSync(from) && !existsSync(join(dir, name))) renameSync(from, join(dir, name));
  }
  if (!lastServerUrl(dataDir)) rememberServer(dataDir, serverUrl);
}
