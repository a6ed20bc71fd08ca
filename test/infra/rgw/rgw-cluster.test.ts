import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRgwState, startRgwCluster, stopRgwCluster } from './rgw-cluster';

/** The processes whose command line names `dir` (our daemons and the watchdog; never pgrep itself). */
function processesOf(dir: string): string[] {
  const out = spawnSync('pgrep', ['-a', '-f', dir], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean);
}

async function until(what: string, check: () => boolean, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const haveCeph = spawnSync('sh', ['-c', 'command -v radosgw']).status === 0;

// With S3_TEST_ENDPOINT a developer may run the suite without Ceph installed; otherwise it is required.
describe.skipIf(!haveCeph && !!process.env.S3_TEST_ENDPOINT)('a throw-away Ceph RADOS Gateway', () => {
  it('starts twice side by side on distinct ports, and each stop leaves no process and no directory', async () => {
    const clusters = await Promise.all([startRgwCluster(), startRgwCluster()]);
    const [a, b] = clusters as [(typeof clusters)[0], (typeof clusters)[0]];
    expect(a.endpoint).not.toBe(b.endpoint);
    for (const c of clusters) {
      const res = await fetch(c.endpoint);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('ListAllMyBucketsResult');
      const procs = processesOf(c.dir).join('\n');
      for (const daemon of ['ceph-mon', 'ceph-osd', 'radosgw']) expect(procs).toContain(daemon);
      expect(readRgwState(c.dir)).toEqual(c);
    }
    await Promise.all(clusters.map((c) => stopRgwCluster(c)));
    for (const c of clusters) {
      expect(processesOf(c.dir)).toEqual([]);
      expect(existsSync(c.dir)).toBe(false);
    }
  });

  for (const [how, signal] of [
    ['stops in order when the CLI `run` gets SIGTERM', 'SIGTERM'],
    ['is stopped by its watchdog when the process that started it is killed', 'SIGKILL'],
  ] as const) {
    it(how, async () => {
      // node itself, not the tsx wrapper: SIGKILL must hit the process that started the cluster.
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/infra/rgw/rgw.ts', 'run'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await until('the CLI to print STINT_RGW_DIR', () => /STINT_RGW_DIR='([^']+)'/.test(out) || child.exitCode !== null);
      const dir = /STINT_RGW_DIR='([^']+)'/.exec(out)?.[1];
      expect(dir, 'rgw.ts run printed no STINT_RGW_DIR').toBeDefined();
      expect(processesOf(dir!).length).toBe(4); // mon, osd, rgw, watchdog
      child.kill(signal);
      await exited;
      await until(`no process of ${dir} left`, () => processesOf(dir!).length === 0);
      await until(`${dir} removed`, () => !existsSync(dir!));
    });
  }

  it('refuses to stop a directory that holds no cluster, with a clear error', async () => {
    expect(() => readRgwState('/nonexistent/stint-rgw-x')).toThrow('no Stint RGW cluster state at /nonexistent/stint-rgw-x/state.json');
  });
});
