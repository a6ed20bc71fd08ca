import { newId } from '../../src/shared/ids';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, login } from '../test-support/api';
import { useTestServer } from '../test-support/fixture';
import { DEMO_FILE, ensureDemo, readDemo, type DemoInfo } from './demo';

const fx = useTestServer();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a data dir made before the demo team', () => {
  it('is upgraded in place: the same org gets the team and projects, the lead a token and a fresh agent folder; a second start changes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stint-demo-upgrade-'));
    dirs.push(dir);
    const s = fx.srv.seed;
    const old: DemoInfo = {
      orgId: s.orgId,
      logins: (['admin', 'manager', 'employee'] as const).map((role) => ({ role, email: s[role].email, password: s[role].password })),
      enrollmentToken: 'an-employee-token-of-the-old-demo',
      enrollmentTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    writeFileSync(path.join(dir, DEMO_FILE), JSON.stringify(old));

    const info = await ensureDemo(fx.srv.db, dir);
    expect(info?.agentDir).toBe('agent-lead');
    expect(info?.logins.map((l) => l.role)).toEqual(['admin', 'lead', 'employee', 'employee', 'employee']);
    expect(info?.historyMembers).toEqual([s.employee.email, s.employee2.email, expect.stringMatching(/^employee3@/)]);
    expect(info?.enrollmentToken).not.toBe(old.enrollmentToken);
    expect(readDemo(dir)).toEqual(info);

    // Every member the history signs in as can sign in with the password demo.json now holds.
    for (const email of info!.historyMembers!) {
      const password = info!.logins.find((l) => l.email === email)!.password;
      expect((await login(fx.srv.url, email, password)).accessToken).toBeTruthy();
    }
    // The lead sees the three members; the token enrolls a device as the lead.
    const lead = await login(fx.srv.url, s.manager.email, s.manager.password);
    const users = (await api(fx.srv.url, lead.accessToken).get<{ users: Array<{ email: string }> }>('/v1/users')).body.users.map((u) => u.email);
    expect(users).toEqual(expect.arrayContaining(info!.historyMembers!));
    const enrolled = await api(fx.srv.url).post('/v1/devices/enroll', { enrollmentToken: info!.enrollmentToken, deviceId: newId(), name: 'lead laptop', platform: 'linux' });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBeLessThan(300);

    expect(await ensureDemo(fx.srv.db, dir)).toEqual(info);
  });

  it('is left as it is when its org is not the demo\'s (the logins are unknown there)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stint-demo-upgrade-'));
    dirs.push(dir);
    const old: DemoInfo = {
      orgId: fx.srv.seed.orgId,
      logins: [
        { role: 'admin', email: 'nobody@elsewhere.test', password: 'x' },
        { role: 'manager', email: 'nobody2@elsewhere.test', password: 'x' },
        { role: 'employee', email: 'employee@elsewhere.test', password: 'x' },
      ],
      enrollmentToken: 'old',
      enrollmentTokenExpiresAt: new Date().toISOString(),
    };
    writeFileSync(path.join(dir, DEMO_FILE), JSON.stringify(old));
    expect(await ensureDemo(fx.srv.db, dir)).toEqual(old);
    expect(readDemo(dir)).toEqual(old);
  });
});
