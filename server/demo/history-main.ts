/**
 * `npm start`'s demo history as a process of its own (so painting images never slows the server):
 * `history-main.ts <server url> <server data dir>`. Reads the demo logins the server wrote, makes the
 * week once (see history.ts), logs its progress and ends. SIGTERM, SIGINT or the end of stdin (its
 * parent is gone) stop it between requests; the next start resumes. STINT_DEMO_HISTORY: how many
 * working days before today (default 5, a working week; `off` is handled by start.ts, which then does not run this).
 */
import path from 'node:path';
import { z } from 'zod';
import { DEMO_HISTORY_FILE, readDemo } from './demo';
import { generateDemoHistory } from './history';

const say = (line: string) => console.log(line);
const [serverUrl, dataDir] = process.argv.slice(2);
if (!serverUrl || !dataDir) {
  console.error('usage: history-main.ts <server url> <server data dir>');
  process.exit(2);
}
const given = process.env.STINT_DEMO_HISTORY;
const days = z.coerce.number().int().min(1).max(90).default(5).safeParse(given === 'on' || !given ? undefined : given);
if (!days.success) {
  console.error(`demo history: STINT_DEMO_HISTORY must be off, on or a whole number of days from 1 to 90, not "${given}"`);
  process.exit(2);
}

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop.abort());
if (process.env.STINT_PARENT_PIPE === '1') {
  process.stdin.on('end', () => stop.abort()).on('error', () => stop.abort());
  process.stdin.resume();
}

const demo = readDemo(dataDir);
const members = (demo?.historyMembers ?? []).map((email) => demo?.logins.find((l) => l.email === email)).filter((l) => l !== undefined);
if (!demo?.historyMembers || members.length === 0) {
  say('demo history: this data dir has no demo team to fill (it was made before the demo history); nothing to do');
  process.exit(0);
}
try {
  await generateDemoHistory({ serverUrl, members, stateFile: path.join(dataDir, DEMO_HISTORY_FILE), days: days.data, signal: stop.signal, log: say });
  process.exit(0);
} catch (err) {
  if (stop.signal.aborted) {
    say('demo history: stopped; the next start resumes');
    process.exit(0);
  }
  console.error(`demo history failed: ${(err as Error).message}`);
  process.exit(1);
}
