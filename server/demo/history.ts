import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { z } from 'zod';
import { ianaZone } from '../../src/shared/time';
import { MemberClient } from './history-client';
import { planHistory, type DayPlan } from './history-plan';
import { DesktopPainter } from './scene';

/**
 * The demo org's week of history, made once: planned (history-plan.ts), painted (scene.ts) and sent
 * through the real ingest path, one member's day at a time, a few at once. A day counts as done
 * only once the server has verified every screenshot of it (the timeline shows it); the state file
 * records done days, so an interrupted run resumes where it stopped, and the history is `complete`
 * only when every day is. Ids are deterministic, so a day sent twice changes nothing.
 */
export interface HistoryOptions {
  serverUrl: string;
  /** The members whose history is made (their password logins). */
  members: ReadonlyArray<{ email: string; password: string }>;
  /** Where progress is kept (the server's data dir: demo-history.json). */
  stateFile: string;
  /** Working days before today, plus today up to now (default 5: a working week; 0: today only). */
  days?: number;
  /** The first run's instant (default now); later runs keep the one in the state file. */
  now?: Date;
  /** The zone the team works in (default this machine's, so a manager here sees office hours); later runs keep the state file's. */
  tz?: string;
  /** Member-days sent at once (default 2). */
  concurrency?: number;
  /** Images encoded at once (default 2). */
  encoders?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Longest wait for the server to verify one day's screenshots (default 120 s). */
  verifyTimeoutMs?: number;
}

export interface HistoryResult {
  complete: boolean;
  days: number;
  screenshots: number;
  /** Screenshots this run PUT (0 when everything was already there). */
  uploaded: number;
}

const stateSchema = z.object({
  version: z.literal(1),
  until: z.iso.datetime(),
  days: z.number().int().min(0),
  // State files written before the zone was kept were planned in UTC: resuming one keeps its ids.
  tz: ianaZone.default('UTC'),
  done: z.array(z.string()),
  complete: z.boolean(),
  screenshots: z.number().int().nonnegative(),
});
type State = z.infer<typeof stateSchema>;

export function readHistoryState(file: string): State | null {
  if (!existsSync(file)) return null;
  return stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

function saveState(file: string, state: State): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export async function generateDemoHistory(o: HistoryOptions): Promise<HistoryResult> {
  const log = o.log ?? (() => undefined);
  const signal = o.signal ?? new AbortController().signal;
  const saved = readHistoryState(o.stateFile);
  if (saved?.complete) {
    log(`demo history: already complete (${saved.done.length} member-days, ${saved.screenshots} screenshots)`);
    return { complete: true, days: saved.done.length, screenshots: saved.screenshots, uploaded: 0 };
  }
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  const clients = o.members.map((m) => new MemberClient(o.serverUrl, m, signal));
  for (const c of clients) await c.signIn();
  const [me, catalog] = await Promise.all([clients[0]!.me(), clients[0]!.projects()]);
  const retention = me.org.retentionDays;
  const state: State = saved ?? {
    version: 1,
    until: (o.now ?? new Date()).toISOString(),
    tz: o.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    // A retention shorter than the week: only the working days it keeps (five in seven calendar days).
    days: Math.max(0, Math.min(o.days ?? 5, retention === null ? Number.POSITIVE_INFINITY : Math.floor(((retention - 1) * 5) / 7))),
    done: [],
    complete: false,
    screenshots: 0,
  };
  const plan = planHistory({
    until: new Date(state.until),
    days: state.days,
    tz: state.tz,
    members: clients.map((c) => ({ userId: c.userId, name: c.name })),
    projects: catalog.projects.filter((p) => !p.archived).map((p) => ({ id: p.id, name: p.name, tasks: p.tasks.filter((t) => !t.archived) })),
    screenshotsPerSlot: me.policy.screenshotsPerSlot,
    recordWindowTitles: me.policy.recordWindowTitles,
  });
  state.screenshots = plan.reduce((n, d) => n + d.shots.length, 0);
  if (!saved) saveState(o.stateFile, state);
  const done = new Set(state.done);
  const todo = plan.filter((d) => !done.has(d.key));
  log(`demo history: ${todo.length} of ${plan.length} member-days to send (${state.screenshots} screenshots in all)${saved ? ', resuming' : ''}`);

  const painter = new DesktopPainter(1280, 720);
  const encode = pLimit(o.encoders ?? 2);
  const byUser = new Map(clients.map((c) => [c.userId, c]));
  let uploaded = 0;
  let shotsDone = plan.filter((d) => done.has(d.key)).reduce((n, d) => n + d.shots.length, 0);

  const sendDay = async (day: DayPlan) => {
    if (signal.aborted) return;
    const client = byUser.get(day.userId)!;
    await client.push(day.deviceId, day.ops);
    const images = await Promise.all(
      day.shots.map((s) =>
        encode(async () => ({
          declaration: { id: s.id, deviceId: day.deviceId, entryId: s.entryId, takenAt: s.takenAt.toISOString(), displayId: 'display-0', width: painter.width, height: painter.height, contentType: 'image/jpeg' as const },
          // JPEG: the cheapest to encode here and to decode in the worker (WebP costs about 1.5× the CPU).
          bytes: await painter.paint(s.scene, { format: 'jpeg', quality: 60 }),
        })),
      ),
    );
    if (signal.aborted) return;
    uploaded += await client.sendScreenshots(images, 4);
    // Done only once the worker has verified (HEAD, decode, thumbnail) every image of the day.
    const want = day.shots.map((s) => s.id);
    const deadline = Date.now() + (o.verifyTimeoutMs ?? 120_000);
    for (;;) {
      const shown = await client.shownScreenshots(day.date);
      if (want.every((id) => shown.has(id))) break;
      if (Date.now() > deadline) throw new Error(`demo history: the server did not verify ${day.date}'s screenshots of ${client.name} in time`);
      await sleep(500, signal);
      if (signal.aborted) return;
    }
    state.done.push(day.key);
    saveState(o.stateFile, state);
    shotsDone += day.shots.length;
    log(`demo history: ${state.done.length}/${plan.length} member-days, ${shotsDone}/${state.screenshots} screenshots (${client.name}, ${day.date})`);
  };

  const days = pLimit(o.concurrency ?? 2);
  try {
    await Promise.all(todo.map((d) => days(() => sendDay(d))));
  } catch (err) {
    if (!signal.aborted) throw err;
  }
  if (signal.aborted) {
    log(`demo history: stopped at ${state.done.length}/${plan.length} member-days; the next start resumes`);
    return { complete: false, days: state.done.length, screenshots: shotsDone, uploaded };
  }
  state.complete = true;
  saveState(o.stateFile, state);
  const cpu = process.cpuUsage(cpuAtStart);
  log(`demo history complete: ${plan.length} member-days, ${state.screenshots} screenshots verified in ${((Date.now() - started) / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU painting and sending)`);
  return { complete: true, days: plan.length, screenshots: state.screenshots, uploaded };
}
