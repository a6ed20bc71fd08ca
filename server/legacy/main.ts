import { loadEnv } from '../config';
import { openRuntime } from '../runtime';
import { LegacySource } from '../store/legacy-source.repository';
import { parseCliArgs, USAGE } from './cli-args';
import { LegacyMigrator, sourceName } from './legacy-migrator';
import { ProgressBar } from './progress-bar';
import { pruneLegacy } from './prune';
import { skippedReport } from './skipped-report';

/**
 * `npm run migrate:legacy -- --from <postgres-url> --table <t>`. Exit 0: done (skipped rows are
 * listed, not fatal); 1: failed (re-run to resume); 2: bad arguments; 130: stopped by Ctrl-C.
 */
async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n\n${USAGE}\n`);
    return 2;
  }
  const rt = await openRuntime({ ...loadEnv(), LOG_LEVEL: 'warn' }, 'migrate');
  const legacy = await LegacySource.open(args.from, args.table, args.columns).catch(async (err: unknown) => {
    await rt.close();
    throw err;
  });
  let stop = false;
  const onSignal = () => {
    stop = true;
    process.stderr.write('\nstopping after this chunk; run the same command again to resume\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const source = sourceName(args.from, args.table);
    const started = Date.now();
    const summary: Record<string, unknown> = { source };
    if (args.migrate) {
      const bar = new ProgressBar(process.stderr);
      let totals = { rows: 0, bytes: 0 };
      const snap = (rows: number, bytes: number) => ({ rows, bytes, totalRows: totals.rows, totalBytes: totals.bytes, elapsedMs: Date.now() - started });
      const m = new LegacyMigrator(
        { db: rt.db, blobs: rt.blobs, jobs: rt.queue, legacy, source, stopRequested: () => stop, onProgress: (_t, rows, bytes) => bar.update(snap(rows, bytes)) },
        args.options,
      );
      totals = await legacy.totals(await m.checkpoint());
      process.stderr.write(`migrating ${source}: ${totals.rows} rows (${(totals.bytes / 1048576).toFixed(1)} MB) to scan\n`);
      const { finished } = await m.run();
      const secs = (Date.now() - started) / 1000;
      bar.done(snap(totals.rows, totals.bytes));
      Object.assign(summary, { finished, ...m.tally, seconds: secs, rowsPerSecond: m.tally.migrated / secs, mbPerSecond: m.tally.bytes / 1048576 / secs });
      if (!args.json) {
        process.stdout.write(
          `${finished ? 'done' : 'stopped'}: ${m.tally.migrated} screenshots moved (${(m.tally.bytes / 1048576).toFixed(1)} MB, ` +
            `verified by sha256) in ${secs.toFixed(1)} s; ${m.tally.alreadyInStint} were in Stint already; ` +
            `${m.tally.orphansRemoved} objects of an interrupted run removed\n`,
        );
      }
      if (!finished) return 130;
    }
    if (args.prune) summary.pruned = await pruneLegacy(rt.db, legacy, source);
    const skipped = await skippedReport(rt.db, source);
    summary.skippedRows = skipped.rows;
    const mem = process.memoryUsage();
    summary.memoryMb = { rss: mem.rss / 1048576, heapUsed: mem.heapUsed / 1048576, external: mem.external / 1048576 };
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      if (args.prune) process.stdout.write(`pruned ${String(summary.pruned)} legacy rows that are in Stint\n`);
      process.stdout.write(skipped.text);
    }
    return 0;
  } finally {
    await legacy.close();
    await rt.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`migrate:legacy failed: ${err instanceof Error ? err.message : String(err)}\nrun the same command again to resume\n`);
    process.exit(1);
  },
);
