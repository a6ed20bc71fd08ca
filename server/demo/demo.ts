import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db';
import { hashPassword } from '../auth/passwords';
import { newOpaqueToken } from '../auth/tokens';
import { mintEnrollmentToken, seedDemoTeam, seedOrg, type DemoTeam, type OrgSeed, type SeedUser } from './seed';

export interface DemoInfo {
  orgId: string;
  /** `lead` is the manager of the team (role manager) who also tracks time: `npm start`'s agent signs in as the lead. */
  logins: Array<{ role: string; email: string; password: string; name?: string }>;
  /** The enrollment token is the lead's. */
  enrollmentToken: string;
  enrollmentTokenExpiresAt: string;
  /** Emails of the team members whose week of history `npm start` generates (absent in data dirs made before it). */
  historyMembers?: string[];
  /** The agent's folder in the data dir, when not `agent` (a data dir upgraded to the demo team: its old agent stays as it was). */
  agentDir?: string;
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
  if (known && !known.historyMembers) return (await upgradeDemo(db, dataDir, known)) ?? known;
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
  const info = await leadDemoInfo(db, seed, team);
  writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

const TOKEN_HOURS = 24 * 90;

async function leadDemoInfo(db: Db, seed: Pick<OrgSeed, 'orgId' | 'admin' | 'manager'>, team: DemoTeam): Promise<DemoInfo> {
  const enrollmentToken = await mintEnrollmentToken(db, seed.orgId, seed.manager.id, new Date(), TOKEN_HOURS);
  return {
    orgId: seed.orgId,
    logins: [
      { role: 'admin', email: seed.admin.email, password: seed.admin.password, name: seed.admin.name },
      { role: 'lead', email: seed.manager.email, password: seed.manager.password, name: seed.manager.name },
      ...team.members.map((u) => ({ role: u.role, email: u.email, password: u.password, name: u.name })),
    ],
    historyMembers: team.members.map((u) => u.email),
    enrollmentToken,
    enrollmentTokenExpiresAt: new Date(Date.now() + TOKEN_HOURS * 3_600_000).toISOString(),
  };
}

/**
 * A data dir made before the demo team (its demo.json has no history members): the same org gets
 * the team's third member and projects, Eli a password the history can sign in with, and the lead's
 * enrollment token goes to a fresh agent folder, so the old agent keeps its outbox and credential
 * untouched. Null (nothing changed) when the org is not the one the demo seeded.
 */
async function upgradeDemo(db: Db, dataDir: string, known: DemoInfo): Promise<DemoInfo | null> {
  const login = (role: string) => known.logins.find((l) => l.role === role);
  const [admin, manager, employee] = [login('admin'), login('manager'), login('employee')];
  if (!admin || !manager || !employee) return null;
  const employee2Email = employee.email.replace(/^employee@/, 'employee2@');
  const found = await db.system(async (tx) => {
    const users = await tx.query<{ id: string; email: string; name: string }>(`SELECT id, email, name FROM users WHERE org_id = $1 AND email = ANY($2::text[])`, [
      known.orgId,
      [admin.email, manager.email, employee.email, employee2Email],
    ]);
    const byEmail = new Map(users.rows.map((u) => [u.email, u]));
    const team = await tx.query<{ team_id: string }>(`SELECT team_id FROM team_members WHERE org_id = $1 AND user_id = $2 AND is_manager`, [known.orgId, byEmail.get(manager.email)?.id ?? null]);
    const project = await tx.query<{ id: string }>(`SELECT id FROM projects WHERE org_id = $1 AND name = 'Website'`, [known.orgId]);
    return { byEmail, teamId: team.rows[0]?.team_id, projectId: project.rows[0]?.id };
  });
  const user = (l: { email: string; password: string; name?: string }, role: SeedUser['role']): SeedUser | null => {
    const u = found.byEmail.get(l.email);
    return u ? { id: u.id, email: u.email, password: l.password, name: u.name, role } : null;
  };
  const seeded = { admin: user(admin, 'admin'), manager: user(manager, 'manager'), employee: user(employee, 'employee') };
  const eli = found.byEmail.get(employee2Email);
  if (!seeded.admin || !seeded.manager || !seeded.employee || !eli || !found.teamId || !found.projectId) return null;
  const employee2: SeedUser = { id: eli.id, email: eli.email, password: newOpaqueToken().slice(0, 20), name: eli.name, role: 'employee' };
  const hash = await hashPassword(employee2.password);
  await db.inOrg(known.orgId, (tx) => tx.query(`UPDATE users SET password_hash = $1 WHERE id = $2`, [hash, employee2.id]));
  const team = await seedDemoTeam(db, { orgId: known.orgId, teamId: found.teamId, project: { id: found.projectId }, employee: seeded.employee, employee2 });
  const info: DemoInfo = { ...(await leadDemoInfo(db, { orgId: known.orgId, admin: seeded.admin, manager: seeded.manager }, team)), agentDir: 'agent-lead' };
  writeFileSync(path.join(dataDir, DEMO_FILE), JSON.stringify(info, null, 2), { mode: 0o600 });
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
