import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The suite's programmable fault proxy (test/infra/fault-proxy.ts), loaded by path at run time
 * because src/sync's tsconfig only knows src/. The types below are the part of its API these tests use.
 */
export type FaultAction =
  | { kind: 'pass' }
  | { kind: 'respond'; status: number; retryAfter?: number | Date; body?: string }
  | { kind: 'reset-request'; afterBytes?: number }
  | { kind: 'reset-response'; afterBytes?: number }
  | { kind: 'stall'; ms: number; then: 'forward' | 'drop' }
  | { kind: 'drop-response' };
export type FaultKind = FaultAction['kind'];

export interface FaultRule {
  method?: string | string[];
  path?: string | RegExp;
  probability?: number;
  times?: number;
  action: FaultAction;
}

export interface FaultProxy {
  url: string;
  port: number;
  counts: Record<FaultKind, number>;
  events: Array<{ seq: number; kind: FaultKind; method: string; path: string }>;
  setRules(rules: FaultRule[]): void;
  setDown(down: boolean): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export async function startFaultProxy(options: { upstream: string; rules?: FaultRule[]; seed?: number }): Promise<FaultProxy> {
  const mod = (await import(pathToFileURL(join(ROOT, 'test/infra/fault-proxy.ts')).href)) as {
    startFaultProxy(o: { upstream: string; rules?: FaultRule[]; seed?: number; host?: 'preserve' }): Promise<FaultProxy>;
  };
  return mod.startFaultProxy({ ...options, host: 'preserve' });
}
