import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db';
import { mintEnrollmentToken, seedOrg } from './seed';

interface DemoInfo {
  orgId: string;
  logins: Array<{ role: string; email: string; password: string }>;
  enrollmentToken: string;
  enrollmentTokenExpiresAt: string;
}

/**
 * Seeds a demo org on the first run (an empty database) and keeps its logins in the data dir
 * (0600) so later runs print the same ones. A database that already has orgs is never seeded.
 */
export async function ensureDemo(db: Db, dataDir: string): Promise<DemoInfo | null> {
  const file = path.join(dataDir, 'demo.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
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
  const hours = 24 * 90;
  const enrollmentToken = await mintEnrollmentToken(db, seed.orgId, seed.employee.id, new Date(), hours);
  const info: DemoInfo = {
    orgId: seed.orgId,
    logins: [seed.admin, seed.manager, seed.employee].map((u) => ({ role: u.role, email: u.email, password: u.password })),
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
    for (const l of info.logins) lines.push(`  ${l.role.padEnd(9)} ${l.email}  password: ${l.password}`);
    lines.push(`  enrollment token (employee, until ${info.enrollmentTokenExpiresAt}): ${info.enrollmentToken}`);
  }
  lines.push(`OpenAPI: ${url}/openapi.json   health: ${url}/healthz`);
  return lines.join('\n');
}
