// One load process of the fleet benchmark (bench/fleet/run.ts): simulates its share of the
// devices for one level, open loop (every request leaves at its instant, answered or not), real
// HTTP to the API processes and presigned PUTs straight to S3. Reads its plan as JSON on stdin,
// writes its samples as one JSON line on stdout.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { desktopScene } from '../../server/demo/scene';

export interface LoadPlan {
  apis: string[];
  devices: Array<{ deviceId: string; token: string }>;
  /** Epoch ms the level starts and how long it lasts. */
  startAt: number;
  seconds: number;
  /** Each device pushes one activity minute every this many seconds. */
  pushEverySeconds: number;
  /** Screenshots per device per 10 minutes: min and max (each at a random instant). */
  shotsPer10Min: [number, number];
  seed: number;
}

export type Endpoint = 'push' | 'declare' | 'put' | 'complete';

export interface LoadSamples {
  ms: Record<Endpoint, number[]>;
  /** Answers by endpoint and status ("error" for a network failure or timeout). */
  statuses: Record<Endpoint, Record<string, number>>;
  /** The first few non-429 failures, to say what they were. */
  failures: string[];
  screenshots: number;
  /** This load process's own CPU milliseconds (it exits before the bench reads /proc again). */
  cpuMs: number;
}

const TIMEOUT_MS = 30_000;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(0, 'utf8')) as LoadPlan;
  const image = await desktopScene(1920, 1080, { format: 'webp', quality: 70 });
  const sha256 = createHash('sha256').update(image).digest('hex');
  const md5 = createHash('md5').update(image).digest('base64');
  const random = rng(plan.seed);
  const out: LoadSamples = {
    ms: { push: [], declare: [], put: [], complete: [] },
    statuses: { push: {}, declare: {}, put: {}, complete: {} },
    failures: [],
    screenshots: 0,
    cpuMs: 0,
  };
  const note = (ep: Endpoint, status: string, detail: string) => {
    out.statuses[ep][status] = (out.statuses[ep][status] ?? 0) + 1;
    if (status !== '429' && !/^2/.test(status) && out.failures.length < 10) out.failures.push(`${ep} ${status}: ${detail.slice(0, 200)}`);
  };
  const call = async (ep: Endpoint, url: string, init: RequestInit): Promise<Response | null> => {
    const t0 = performance.now();
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      out.ms[ep].push(performance.now() - t0);
      if (!res.ok) note(ep, String(res.status), await res.text());
      else note(ep, String(res.status), '');
      return res.ok ? res : null;
    } catch (err) {
      out.ms[ep].push(performance.now() - t0);
      note(ep, 'error', err instanceof Error ? err.message : String(err));
      return null;
    }
  };
  const api = (d: { token: string }, i: number) => ({
    url: plan.apis[i % plan.apis.length] as string,
    headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json' },
  });

  const push = async (d: LoadPlan['devices'][number], i: number) => {
    const a = api(d, i);
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    const ops = [{ id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: null, minuteStart: minute, activeSeconds: Math.floor(random() * 60), trackedSeconds: 60, apps: [{ app: 'editor', seconds: 40 }, { app: 'browser', seconds: 20 }] } }];
    const res = await call('push', `${a.url}/v1/sync/push`, { method: 'POST', headers: a.headers, body: JSON.stringify({ deviceId: d.deviceId, sentAt: new Date().toISOString(), ops }) });
    await res?.arrayBuffer();
  };

  const shoot = async (d: LoadPlan['devices'][number], i: number) => {
    const a = api(d, i);
    const id = uuidv7();
    const item = { id, deviceId: d.deviceId, entryId: null, takenAt: new Date().toISOString(), displayId: 'display-0', width: 1920, height: 1080, bytes: image.length, sha256, md5, contentType: 'image/webp' };
    const declared = await call('declare', `${a.url}/v1/screenshots/batch`, { method: 'POST', headers: a.headers, body: JSON.stringify({ items: [item] }) });
    if (!declared) return;
    const body = (await declared.json()) as { items: Array<{ status: string; upload?: { url: string; headers: Record<string, string> } }> };
    const upload = body.items[0]?.upload;
    if (!upload) {
      note('declare', `item ${body.items[0]?.status ?? 'missing'}`, JSON.stringify(body.items[0]));
      return;
    }
    const { ['Content-Length']: _len, ...headers } = upload.headers;
    const put = await call('put', upload.url, { method: 'PUT', headers, body: image });
    if (!put) return;
    await put.arrayBuffer();
    const done = await call('complete', `${a.url}/v1/screenshots/batch/complete`, { method: 'POST', headers: a.headers, body: JSON.stringify({ ids: [id] }) });
    await done?.arrayBuffer();
    if (done) out.screenshots += 1;
  };

  // Every device's instants in this level: a push every pushEverySeconds from a random phase, and
  // 1–3 screenshots at random instants of each 10 minutes.
  const events: Array<{ at: number; fire: () => Promise<void> }> = [];
  const end = plan.startAt + plan.seconds * 1000;
  plan.devices.forEach((d, i) => {
    for (let t = plan.startAt + random() * plan.pushEverySeconds * 1000; t < end; t += plan.pushEverySeconds * 1000) events.push({ at: t, fire: () => push(d, i) });
    for (let w = plan.startAt; w < end; w += 600_000) {
      const [lo, hi] = plan.shotsPer10Min;
      const n = lo + Math.floor(random() * (hi - lo + 1));
      for (let k = 0; k < n; k++) {
        const t = w + random() * 600_000;
        if (t < end) events.push({ at: t, fire: () => shoot(d, i) });
      }
    }
  });
  events.sort((x, y) => x.at - y.at);
  const inFlight: Array<Promise<void>> = [];
  for (const e of events) {
    const wait = e.at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(e.fire());
  }
  await Promise.all(inFlight);
  const cpu = process.cpuUsage();
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`device load failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
