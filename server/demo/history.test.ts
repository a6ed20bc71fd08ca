import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { summaryResponseSchema, timelineResponseSchema, type TimelineResponse } from '../../src/shared/http/timeline';
import { teamNowResponseSchema } from '../../src/shared/http/timeline';
import { api, login } from '../test-support/api';
import { useTestServer } from '../test-support/fixture';
import { generateDemoHistory, readHistoryState } from './history';
import { seedDemoTeam, type DemoTeam, type OrgSeed } from './seed';

const fx = useTestServer({ blob: 's3' });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const stateFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stint-demo-history-'));
  dirs.push(dir);
  return path.join(dir, 'demo-history.json');
};

/** The latest weekday before today at 14:00 UTC: its morning, lunch and early afternoon are history. */
function lastWeekdayAfternoon(): Date {
  const d = new Date();
  d.setUTCHours(14, 0, 0, 0);
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d;
}

const counts = (orgId: string) =>
  fx.srv.db.system(async (tx) => {
    const r = await tx.query<{ shots: number; verified: number; minutes: number; entries: number }>(
      `SELECT (SELECT count(*)::int FROM screenshots WHERE org_id = $1) AS shots,
              (SELECT count(*)::int FROM screenshots WHERE org_id = $1 AND state = 'verified') AS verified,
              (SELECT count(*)::int FROM activity_minutes WHERE org_id = $1) AS minutes,
              (SELECT count(*)::int FROM time_entries WHERE org_id = $1) AS entries`,
      [orgId],
    );
    return r.rows[0]!;
  });

const now = lastWeekdayAfternoon();
const date = now.toISOString().slice(0, 10);

async function timelineAs(token: string, userId: string): Promise<TimelineResponse> {
  const r = await api(fx.srv.url, token).get(`/v1/timeline?userId=${userId}&date=${date}&tz=UTC`);
  expect(r.status).toBe(200);
  return timelineResponseSchema.parse(r.body);
}

describe('the demo history state file', () => {
  it('keeps the zone the plan was made in; one written before zones were kept reads as UTC, so resuming it keeps its ids', () => {
    const f = stateFile();
    writeFileSync(f, JSON.stringify({ version: 1, until: '2026-12-02T14:00:00.000Z', days: 5, done: [], complete: false, screenshots: 0 }));
    expect(readHistoryState(f)?.tz).toBe('UTC');
    writeFileSync(f, JSON.stringify({ version: 1, until: '2026-12-02T14:00:00.000Z', days: 5, tz: 'Asia/Kathmandu', done: [], complete: false, screenshots: 0 }));
    expect(readHistoryState(f)?.tz).toBe('Asia/Kathmandu');
    writeFileSync(f, JSON.stringify({ version: 1, until: '2026-12-02T14:00:00.000Z', days: 5, tz: 'Mars/Olympus', done: [], complete: false, screenshots: 0 }));
    expect(() => readHistoryState(f)).toThrow(/must be an IANA time zone name/);
  });
});

describe('the demo history', () => {
  let team: DemoTeam;
  let file: string;

  it('sends a day for each of the three members through the real ingest path; the lead sees slots with verified screenshots, varying activity and gaps', { timeout: 120_000 }, async () => {
    team = await seedDemoTeam(fx.srv.db, fx.srv.seed);
    file = stateFile();
    const lines: string[] = [];
    const result = await generateDemoHistory({ serverUrl: fx.srv.url, members: team.members, stateFile: file, days: 0, tz: 'UTC', now, log: (l) => lines.push(l) });
    expect(result.complete).toBe(true);
    expect(result.days).toBe(3);
    expect(result.uploaded).toBe(result.screenshots);
    expect(lines.at(-1)).toMatch(/^demo history complete: 3 member-days, \d+ screenshots verified/);
    expect(await counts(fx.srv.seed.orgId)).toMatchObject({ shots: result.screenshots, verified: result.screenshots });

    const lead = fx.tokens.manager;
    let shown = 0;
    const projects = new Set<string>();
    for (const m of team.members) {
      const t = await timelineAs(lead, m.id);
      const withShots = t.slots.filter((s) => s.screenshots.length > 0);
      expect(withShots.length).toBeGreaterThan(10);
      for (const s of withShots) for (const shot of s.screenshots) expect(shot.thumbUrl).not.toBeNull();
      shown += withShots.reduce((n, s) => n + s.screenshots.length, 0);
      // Activity varies from slot to slot, and the day has gaps (lunch, a break) with nothing tracked.
      expect(new Set(t.slots.map((s) => s.activityPercent)).size).toBeGreaterThan(5);
      const gaps = t.slots.slice(1).filter((s, i) => Date.parse(s.start) - Date.parse(t.slots[i]!.end) >= 20 * 60_000);
      expect(gaps.length).toBeGreaterThanOrEqual(1);
      expect(t.slots.every((s) => s.topApps.length > 0)).toBe(true);
      for (const s of t.slots) if (s.project) projects.add(s.project.name);
      expect(t.totals.trackedSeconds).toBeGreaterThan(1.5 * 3600); // the latest starter (about 09:40) has a morning by 14:00
    }
    expect(shown).toBe(result.screenshots);
    expect(projects.size).toBeGreaterThanOrEqual(2);

    // A real encoded desktop picture, as a device would have sent.
    const first = (await timelineAs(lead, team.members[0]!.id)).slots.find((s) => s.screenshots.length)!.screenshots[0]!;
    const full = await fetch(first.fullUrl);
    expect(full.status).toBe(200);
    const meta = await sharp(Buffer.from(await full.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1280, height: 720 });

    const summary = await api(fx.srv.url, lead).get(`/v1/reports/summary?from=${date}&to=${date}&groupBy=user&tz=UTC`);
    expect(summary.status).toBe(200);
    const rows = summaryResponseSchema.parse(summary.body).rows;
    for (const m of team.members) {
      const row = rows.find((r) => r.key === m.id);
      expect(row?.trackedSeconds).toBe((await timelineAs(lead, m.id)).totals.trackedSeconds);
    }
  });

  it('a second run adds nothing: with its state file it sends nothing, and even without one the same ids change nothing', { timeout: 120_000 }, async () => {
    const before = await counts(fx.srv.seed.orgId);
    const again = await generateDemoHistory({ serverUrl: fx.srv.url, members: team.members, stateFile: file, days: 0, tz: 'UTC', now });
    expect(again).toMatchObject({ complete: true, uploaded: 0 });
    const lost = await generateDemoHistory({ serverUrl: fx.srv.url, members: team.members, stateFile: stateFile(), days: 0, tz: 'UTC', now });
    expect(lost).toMatchObject({ complete: true, uploaded: 0, screenshots: again.screenshots });
    expect(await counts(fx.srv.seed.orgId)).toEqual(before);
  });

  it('an interrupted run is not complete, and the next one resumes and finishes it', { timeout: 120_000 }, async () => {
    const other: OrgSeed = await fx.srv.seedOrg();
    const members = (await seedDemoTeam(fx.srv.db, other)).members;
    const f = stateFile();
    const stop = new AbortController();
    const first = await generateDemoHistory({
      serverUrl: fx.srv.url,
      members,
      stateFile: f,
      days: 0,
      tz: 'UTC',
      now,
      concurrency: 1,
      signal: stop.signal,
      log: (l) => {
        if (/^demo history: 1\/3 member-days/.test(l)) stop.abort();
      },
    });
    expect(first).toMatchObject({ complete: false, days: 1 });
    expect(readHistoryState(f)).toMatchObject({ complete: false, done: [expect.any(String)] });
    const resumed = await generateDemoHistory({ serverUrl: fx.srv.url, members, stateFile: f, days: 0, tz: 'Asia/Kathmandu', now: new Date() });
    expect(resumed.complete).toBe(true);
    expect(resumed.uploaded).toBeLessThan(resumed.screenshots);
    // The first run's instant is kept: the resumed plan is the same day, whatever the clock says now.
    expect(readHistoryState(f)?.until).toBe(now.toISOString());
    expect(readHistoryState(f)?.tz).toBe('UTC'); // and its zone, though this run asked for another
    expect(await counts(other.orgId)).toMatchObject({ shots: resumed.screenshots, verified: resumed.screenshots });
  });

  it('the demo lead reads the whole team; an employee reads only their own day', async () => {
    const lead = await api(fx.srv.url, fx.tokens.manager).get('/v1/team/now');
    expect(lead.status).toBe(200);
    const names = teamNowResponseSchema.parse(lead.body).members.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['Max Manager', 'Emma Employee', 'Eli Employee', 'Noor Employee']));
    expect(names).not.toContain('Olga Outsider');

    const noor = team.members[2]!;
    const { accessToken } = await login(fx.srv.url, noor.email, noor.password);
    const own = teamNowResponseSchema.parse((await api(fx.srv.url, accessToken).get('/v1/team/now')).body);
    expect(own.members.map((m) => m.userId)).toEqual([noor.id]);
    const theirs = await api(fx.srv.url, accessToken).get(`/v1/timeline?userId=${team.members[0]!.id}&date=${date}&tz=UTC`);
    expect(theirs.status).toBe(404); // not visible to an employee: the server does not tell whether the user exists
    expect(theirs.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('its process refuses a bad STINT_DEMO_HISTORY or missing arguments, saying why', () => {
    const main = fileURLToPath(new URL('./history-main.ts', import.meta.url));
    const run = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const bad = run([fx.srv.url, tmpdir()], { STINT_DEMO_HISTORY: 'lots' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('STINT_DEMO_HISTORY must be off, on or a whole number of days from 1 to 90, not "lots"');
    const none = run([], {});
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: history-main.ts <server url> <server data dir>');
  });
});
