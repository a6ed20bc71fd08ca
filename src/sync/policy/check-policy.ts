/**
 * `npm run check-policy -- <file> [--offline]`: checks a policy file the way the app reads it at
 * start-up, for IT before they push it. Prints each problem with its field; exit 0 when the file
 * is good, 1 when it is not (or cannot be read). `--offline` skips the check that the server
 * URL answers.
 */
import { parseArgs } from 'node:util';
import { parsePolicyDocument, probeStintServer, readPolicyFile, type ServerProbe } from './managed-policy-source';
import type { PolicyProblem } from '../../shared/managed-policy';

const CHECK_POLICY_USAGE = 'usage: npm run check-policy -- <policy.json> [--offline]';

interface CheckResult {
  ok: boolean;
  lines: string[];
}

/** The check itself: the lines to print and whether the file is good. */
async function checkPolicyFile(path: string, o: { probe?: ServerProbe | null } = {}): Promise<CheckResult> {
  const read = readPolicyFile(path);
  const problems: PolicyProblem[] = [];
  let summary: string | null = null;
  if (!read.present) problems.push({ field: '', message: 'does not exist' });
  else if ('problem' in read) problems.push(read.problem);
  else {
    const parsed = parsePolicyDocument(path, read.bytes);
    problems.push(...parsed.problems);
    const p = parsed.policy;
    if (p?.serverUrl && o.probe !== null) {
      const unreachable = await (o.probe ?? probeStintServer)(p.serverUrl);
      if (unreachable) problems.push({ field: 'serverUrl', message: unreachable });
    }
    if (p)
      summary = [
        `server ${p.serverUrl ?? '(none: the employee signs in)'}`,
        `enrollment ${p.enrollmentToken ? 'silent, from the file' : 'not from the file'}`,
        `locked: ${[...(p.locked ?? []), ...(p.autoStart ? ['autoStart'] : [])].join(', ') || 'nothing'}`,
        `update channel ${p.updateChannel ?? '(default)'}`,
      ].join('; ');
  }
  if (problems.length === 0) return { ok: true, lines: [`${path}: OK (${summary})`] };
  return {
    ok: false,
    lines: [`${path}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`, ...problems.map((p) => `  ${p.field || '(file)'}: ${p.message}`)],
  };
}

async function main(argv: string[]): Promise<number> {
  let files: string[];
  let offline: boolean;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { offline: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    files = positionals;
    offline = values.offline ?? false;
  } catch (err) {
    console.error(`${(err as Error).message}\n${CHECK_POLICY_USAGE}`);
    return 1;
  }
  if (files.length !== 1) {
    console.error(CHECK_POLICY_USAGE);
    return 1;
  }
  const result = await checkPolicyFile(files[0]!, { probe: offline ? null : probeStintServer });
  for (const line of result.lines) (result.ok ? console.log : console.error)(line);
  return result.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
