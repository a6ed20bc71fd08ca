import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePolicyDocument } from './policy-document';
import { managedPolicySchema, policyProblems, type ManagedPolicy, type PolicyProblem } from '../../shared/managed-policy';

/** The managed policy the device runs with, and what was wrong with the file when it is not the file's. */
export interface ManagedPolicyState {
  path: string;
  /** The file exists (readable or not). */
  present: boolean;
  /** In force: the file's policy, or its last good copy after an error; null: nothing managed. */
  policy: ManagedPolicy | null;
  /** What is wrong with the file, field by field; empty when it was applied (or is absent). */
  problems: PolicyProblem[];
  /** The policy in force is the last good copy (the file had problems). */
  usingLastGood: boolean;
  /** The problems in one line for the log, the UI and an exit message; null when there are none. */
  error: string | null;
}

/** Answers null when the server at `url` is a reachable Stint server, else why not. */
export type ServerProbe = (url: string) => Promise<string | null>;

const PROBE_TIMEOUT_MS = 5_000;

/** GET /healthz on the server: the one thing every Stint server answers without a credential. */
export const probeStintServer: ServerProbe = async (url) => {
  try {
    const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.ok ? null : `the server at ${url} answered HTTP ${res.status} to /healthz: is it a Stint server?`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return `cannot reach the Stint server at ${url} (${why})`;
  }
};

/** The copy of the last policy file that was applied, in the data dir (0600: it holds the enrollment token). */
export const lastGoodPolicyPath = (dataDir: string) => join(dataDir, 'managed-policy.last-good.json');

function readLastGood(dataDir: string): ManagedPolicy | null {
  try {
    const parsed = managedPolicySchema.safeParse(JSON.parse(readFileSync(lastGoodPolicyPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function saveLastGood(dataDir: string, policy: ManagedPolicy): void {
  mkdirSync(dataDir, { recursive: true });
  const path = lastGoodPolicyPath(dataDir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(policy, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

/** Check a policy file's content: JSON (or a property list, by its name), then every field (unknown keys included). */
export function parsePolicyDocument(path: string, bytes: Buffer): { policy: ManagedPolicy; problems: [] } | { policy: null; problems: PolicyProblem[] } {
  const doc = decodePolicyDocument(path, bytes);
  if ('problem' in doc) return { policy: null, problems: [{ field: '', message: doc.problem }] };
  const parsed = managedPolicySchema.safeParse(doc.value);
  return parsed.success ? { policy: parsed.data, problems: [] } : { policy: null, problems: policyProblems(parsed.error) };
}

/** Read the file; a missing file is no policy, an unreadable one a problem naming the path. */
export function readPolicyFile(path: string): { present: false } | { present: true; bytes: Buffer } | { present: true; problem: PolicyProblem } {
  try {
    return { present: true, bytes: readFileSync(path) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { present: false };
    return { present: true, problem: { field: '', message: `cannot be read (${e.code ?? e.message}): ${e.message}` } };
  }
}

export const problemsInWords = (problems: PolicyProblem[]) => problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ');

/**
 * The managed policy at start-up: the file when it is valid (and its server reachable, when the
 * file names a server this device has not used under a policy before), else its last good copy.
 * Nothing is deleted or changed: neither the file, nor the copy, nor any record.
 */
export async function loadManagedPolicy(o: { path: string; dataDir: string; probe?: ServerProbe }): Promise<ManagedPolicyState> {
  const read = readPolicyFile(o.path);
  if (!read.present) return { path: o.path, present: false, policy: null, problems: [], usingLastGood: false, error: null };
  const lastGood = readLastGood(o.dataDir);
  let problems: PolicyProblem[];
  if ('problem' in read) problems = [read.problem];
  else {
    const parsed = parsePolicyDocument(o.path, read.bytes);
    problems = parsed.problems;
    if (parsed.policy) {
      const url = parsed.policy.serverUrl;
      // A server already used under a good policy is not probed: offline is not a policy error.
      const unreachable = url !== undefined && url !== lastGood?.serverUrl ? await (o.probe ?? probeStintServer)(url) : null;
      if (unreachable) problems = [{ field: 'serverUrl', message: unreachable }];
      else {
        if (JSON.stringify(parsed.policy) !== JSON.stringify(lastGood)) saveLastGood(o.dataDir, parsed.policy);
        return { path: o.path, present: true, policy: parsed.policy, problems: [], usingLastGood: false, error: null };
      }
    }
  }
  const fallback = lastGood ? 'using the last good copy of it' : 'running without it (there is no earlier good copy)';
  return {
    path: o.path,
    present: true,
    policy: lastGood,
    problems,
    usingLastGood: lastGood !== null,
    error: `policy file ${o.path} not applied: ${problemsInWords(problems)}; ${fallback}`,
  };
}
