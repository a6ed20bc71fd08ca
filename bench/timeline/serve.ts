// One API process under the timeline benchmark, started by bench/timeline/run.ts: the real app
// on real PostgreSQL and RGW, timeline activity from TIMELINE_ACTIVITY (raw | rollups). Prints one
// JSON line with its URL and the URL of a side listener that reports the process's CPU time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBenchApi } from '../server/bench-api';

const env = process.env as Record<string, string>;
const activity = env.TIMELINE_ACTIVITY === 'raw' ? 'raw' : 'rollups';
const api = await startBenchApi(env.STINT_SECRET as string, { timelineActivity: activity });
const cpu = createServer((_req, res) => void res.end(JSON.stringify(process.cpuUsage())));
await new Promise<void>((resolve) => cpu.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ url: api.url, cpu: `http://127.0.0.1:${(cpu.address() as AddressInfo).port}` })}\n`);
process.on('SIGTERM', async () => {
  cpu.close();
  await api.stop();
  process.exit(0);
});
