import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import envPaths from 'env-paths';
import { uuid } from '../../shared/ids';

/** The project an agent tracks when none is given: a local project on embedded defaults. */
export const LOCAL_PROJECT = { id: '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f', name: 'Local project', tasks: [] };

export interface AgentOptions {
  projectId: string;
  dataDir: string;
  display: string | null;
  port: number;
  origins: string[];
  token: string | null;
  captureNow: boolean;
  /** The renderer build the bridge serves (npm run build writes it). */
  uiDir: string;
}

/** Where `npm run build` puts the renderer: dist/renderer at the repo root. */
export const DEFAULT_UI_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../dist/renderer');

export const USAGE = `usage: npm run agent -- [--project <uuid>] [--data-dir <dir>] [--display :N] [--port <n>]
                       [--origin <url>]... [--ui-dir <dir>] [--capture-now]
env: DISPLAY, STINT_DATA_DIR, STINT_AGENT_PORT, STINT_AGENT_TOKEN, STINT_AGENT_ORIGINS (comma-separated), STINT_UI_DIR,
     STINT_POLICY_FILE (IT's policy file; default /etc/stint/policy.json), STINT_CATALOG_PULL_SECONDS`;

export function parseAgentOptions(argv: string[], env: NodeJS.ProcessEnv): AgentOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: 'string' },
      'data-dir': { type: 'string' },
      display: { type: 'string' },
      port: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'ui-dir': { type: 'string' },
      'capture-now': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const projectId = values.project ?? LOCAL_PROJECT.id;
  if (!uuid.safeParse(projectId).success) throw new Error(`--project must be a UUID, got "${projectId}"`);
  const port = Number(values.port ?? env.STINT_AGENT_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${values.port}"`);
  return {
    projectId,
    dataDir: values['data-dir'] ?? env.STINT_DATA_DIR ?? join(envPaths('stint', { suffix: '' }).data, 'agent'),
    display: values.display ?? env.DISPLAY ?? null,
    port,
    origins: values.origin ?? (env.STINT_AGENT_ORIGINS ? env.STINT_AGENT_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) : []),
    token: env.STINT_AGENT_TOKEN ?? null,
    captureNow: values['capture-now'] ?? false,
    uiDir: values['ui-dir'] ?? env.STINT_UI_DIR ?? DEFAULT_UI_DIR,
  };
}
