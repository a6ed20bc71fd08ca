// Cost of the per-request revocation check (issue 8 item 6): the same authenticated GET through
// (a) token verification only, (b) verification + RevocationCheck (as the API runs it: cached per
// device) and (c) verification + the uncached lookup on every request (the cache's worst case:
// one primary-key query). Interleaved rounds on one real PostgreSQL, one run.
// `npx tsx bench/server/revocation-check.ts` → prints JSON (µs per request, wall clock, median of rounds)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { start } from '../../server/app';
import { principal, requireAuth } from '../../server/http/auth-middleware';
import { problemHandler } from '../../server/http/problem';
import { RevocationCheck } from '../../server/auth/revocation-check';
import { AccessTokens, hashToken, newOpaqueToken } from '../../server/auth/tokens';
import { Db } from '../../server/store/db';
import { isDeviceRevoked, upsertEnrolledDevice } from '../../server/store/devices.repository';
import { startEmbeddedPostgres } from '../../server/store/embedded-postgres';
import { migrate } from '../../server/store/migrate';
import { seedOrg } from '../../server/demo/seed';

const ROUNDS = 7;
const PER_ROUND = 2_000;
const dir = mkdtempSync(path.join(tmpdir(), 'stint-revocation-bench-'));
const pgServer = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
const db = new Db(pgServer.url, 10);
await migrate(db);
const org = await seedOrg(db);
const deviceId = uuidv7();
await db.inOrg(org.orgId, (tx) =>
  upsertEnrolledDevice(tx, { id: deviceId, orgId: org.orgId, userId: org.employee.id, name: 'bench', platform: 'linux', tokenHash: hashToken(newOpaqueToken()), now: new Date() }),
);
const now = () => new Date();
const tokens = new AccessTokens(randomBytes(32).toString('base64url'), 900, now);
const token = await tokens.issue({ userId: org.employee.id, orgId: org.orgId, role: 'employee', deviceId });

const verifyOnly: RequestHandler = async (req, res, next) => {
  res.locals.principal = await tokens.verify((req.headers.authorization ?? '').slice(7));
  next();
};
const uncached: RequestHandler = async (_req, res, next) => {
  if (await isDeviceRevoked(db.pool, principal(res).deviceId as string)) throw new Error('revoked');
  next();
};
const app = express();
const reply: RequestHandler = (_req, res) => void res.json({ user: principal(res).userId });
app.get('/without', verifyOnly, reply);
app.get('/with', requireAuth(tokens, new RevocationCheck(db.pool, now)), reply);
app.get('/uncached', verifyOnly, uncached, reply);
app.use(problemHandler);
const server = await start(app);

const headers = { authorization: `Bearer ${token}` };
async function round(route: string): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) {
    const r = await fetch(`${server.url}${route}`, { headers });
    if (r.status !== 200) throw new Error(`${route}: ${r.status}`);
    await r.arrayBuffer();
  }
  return Number(process.hrtime.bigint() - t) / 1000 / PER_ROUND;
}

const routes = ['/without', '/with', '/uncached'] as const;
for (const r of routes) await round(r); // warm-up
const samples: Record<string, number[]> = { '/without': [], '/with': [], '/uncached': [] };
for (let i = 0; i < ROUNDS; i++) for (const r of routes) samples[r]?.push(await round(r));
const median = (xs: number[]) => Math.round((xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number) * 10) / 10;
const us = Object.fromEntries(routes.map((r) => [r, median(samples[r] as number[])])) as Record<(typeof routes)[number], number>;
process.stdout.write(
  `${JSON.stringify(
    {
      when: new Date().toISOString(),
      node: process.version,
      method: `median of ${ROUNDS} interleaved rounds × ${PER_ROUND} sequential keep-alive GETs over loopback, wall µs per request`,
      microsPerRequest: { verifyOnly: us['/without'], withRevocationCheck: us['/with'], lookupEveryRequest: us['/uncached'] },
      ratio: { withCheckOverWithout: Math.round((us['/with'] / us['/without']) * 100) / 100, uncachedOverWithout: Math.round((us['/uncached'] / us['/without']) * 100) / 100 },
    },
    null,
    2,
  )}\n`,
);
await server.stop();
await db.close();
await pgServer.stop();
rmSync(dir, { recursive: true, force: true });
