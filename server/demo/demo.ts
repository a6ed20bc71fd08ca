import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db';
import { mintEnrollmentToken, seedDemoTeam, seedOrg } from './seed';

export interface DemoInfo {
  orgId: string;
  /** `lead` is the manager of the team (role manager) who also tracks time: `npm start`'s agent signs in as the lead. */
  logins: Array<{ role: string; email: string; password: string; name?: string }>;
  /** The enrollment token is the lead's. */
  enrollmentToken: string;
  enrollmentTokenExpiresAt: string;
  /** Emails of the team members whose week of history `npm start` generates (absent in data dirs made before it). */
  historyMembers?: string[];
}

export const DEMO_FILE = 'demo.json';
export const DEMO_HISTORY_FILE = 'demo-history.json';

export function readDemo(dataDir: string): DemoInfo | null {
  const file = path.join(dataDir, DEMO_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoInfo) : null;
}

/**
 * Seeds a demo org on the first run (an empty database) and keeps its logins in the data dir
 * (0600) so later runs print the same ones. A database that already has orgs is never seeded.
 * The org: an admin, the team lead (a manager who tracks time too), three employees in the lead's
 * team and one outside it, three projects with tasks.
 */
export async function ensureDemo(db: Db, dataDir: string): Promise<DemoInfo | null> {
  const file = path.join(dataDir, DEMO_FILE);
  const known = readDemo(dataDir);
  if (known) return known;
  const orgs = await db.system(async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs')).rows[0]?.n ?? 0);
  if (orgs > 0) return null;
  let seed;
  try {
    seed = await seedOrg(db, { name: 'Demo Company', slug: 'demo' });
  } catch (err) {
    // another process on the same database seeded it first (unique emails): nothing to print here
    if ((err as { code?: string }).code === '23505') return null;
    throw err;
  }
  const team = await seedDemoTeam(db, seed);
  const hours = 24 * 90;
  const enrollmentToken = await mintEnrollmentToken(db, seed.orgId, seed.manager.id, new Date(), hours);
  const info: DemoInfo = {
    orgId: seed.orgId,
    logins: [
      { role: 'admin', email: seed.admin.email, password: seed.admin.password, name: seed.admin.name },
      { role: 'lead', email: seed.manager.email, password: seed.manager.password, name: seed.manager.name },
      ...team.members.map((u) => ({ role: u.role, email: u.email, password: u.password, name: u.name })),
    ],
    historyMembers: team.members.map((u) => u.email),
    enrollmentToken,
    enrollmentTokenExpiresAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
  };
  writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

export function demoBanner(url: string, info: DemoInfo | null, dataDir: string): string {
  const lines = [`Stint server listening on ${url}`, `data: ${dataDir}`];
  if (info) {
    lines.push('demo org "Demo Company":');
    for (const l of info.logins) lines.push(`  ${l.role.padEnd(9)} ${l.email}  password: ${l.password}${l.name ? `  (${l.name}${l.role === 'lead' ? ': manages the team and tracks time' : ''})` : ''}`);
    lines.push(`  enrollment token (${info.logins.some((l) => l.role === 'lead') ? 'lead' : 'employee'}, until ${info.enrollmentTokenExpiresAt}): ${info.enrollmentToken}`);
  }
  lines.push(`OpenAPI: ${url}/openapi.json   health: ${url}/healthz`);
  return lines.join('\n');
}
