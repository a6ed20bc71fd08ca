import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BASELINE_COLUMNS, type LegacyColumns } from '../store/legacy-source.repository';
import { DEFAULT_OPTIONS, type MigrateOptions } from './legacy-migrator';

export const USAGE = `usage: npm run migrate:legacy -- --from <postgres-url> --table <table> [options]

Moves screenshots stored as base64 text or bytea in a PostgreSQL table into Stint's blob store
and rows (Stint's own DATABASE_URL and BLOB_DRIVER/S3_* come from the environment, as for the
server). Safe to kill and re-run: it resumes, and never copies a row twice.

  --from <url>            the legacy database (postgres://...)
  --table <name>          the legacy table (schema.table allowed)
  --prune                 after migrating, delete the legacy rows that are in Stint
  --no-migrate            with --prune: only prune
  --id-column <c>         default id          (keyset order; a UUID becomes the screenshot id)
  --user-column <c>       default user_id     (a Stint user's id)
  --taken-column <c>      default taken_at
  --type-column <c>       default content_type
  --image-column <c>      default image       (bytea, or text holding base64)
  --page-rows <n>         default ${DEFAULT_OPTIONS.pageRows}
  --chunk-mb <n>          image MB held at once, default ${DEFAULT_OPTIONS.chunkBytes / 1048576}
  --concurrency <n>       PUTs in flight, default ${DEFAULT_OPTIONS.concurrency}
  --json                  print the summary as one JSON line`;

const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, 'must be a plain SQL identifier');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  from: z.string({ error: 'is required' }).regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  table: z.string({ error: 'is required' }).regex(/^([A-Za-z_][A-Za-z0-9_$]*\.)?[A-Za-z_][A-Za-z0-9_$]*$/, 'must be table or schema.table'),
  prune: z.boolean().default(false),
  'no-migrate': z.boolean().default(false),
  json: z.boolean().default(false),
  'id-column': ident.default(BASELINE_COLUMNS.id),
  'user-column': ident.default(BASELINE_COLUMNS.userId),
  'taken-column': ident.default(BASELINE_COLUMNS.takenAt),
  'type-column': ident.default(BASELINE_COLUMNS.contentType),
  'image-column': ident.default(BASELINE_COLUMNS.image),
  'page-rows': int(1, 10_000).default(DEFAULT_OPTIONS.pageRows),
  'chunk-mb': int(1, 1024).default(DEFAULT_OPTIONS.chunkBytes / 1048576),
  concurrency: int(1, 256).default(DEFAULT_OPTIONS.concurrency),
});

export interface CliArgs {
  from: string;
  table: string;
  prune: boolean;
  migrate: boolean;
  json: boolean;
  columns: LegacyColumns;
  options: MigrateOptions;
}

/** The command line, or the reason it is wrong. */
export function parseCliArgs(argv: string[]): CliArgs | string {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: Object.fromEntries(
        Object.keys(schema.shape).map((k) => [k, { type: ['prune', 'no-migrate', 'json'].includes(k) ? 'boolean' : 'string' }] as const),
      ),
    }).values;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const r = schema.safeParse(values);
  if (!r.success) return r.error.issues.map((i) => (i.path.length ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  const a = r.data;
  if (a['no-migrate'] && !a.prune) return '--no-migrate only makes sense with --prune';
  return {
    from: a.from,
    table: a.table,
    prune: a.prune,
    migrate: !a['no-migrate'],
    json: a.json,
    columns: { id: a['id-column'], userId: a['user-column'], takenAt: a['taken-column'], contentType: a['type-column'], image: a['image-column'] },
    options: { pageRows: a['page-rows'], chunkBytes: a['chunk-mb'] * 1048576, concurrency: a.concurrency },
  };
}
