import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnv } from '../config';
import { dataDirOf, openBlobStore, serverSecret } from '../runtime';
import { PublishRefused, publishUpdate } from './publish-update';

/**
 * `npm run publish-update -- <dir> --channel stable`: uploads a build folder to the update feed
 * of the server whose environment this runs in (the same BLOB_DRIVER / S3_* / STINT_DATA_DIR as
 * `npm run server`). Exit 0 published, 1 refused or failed (nothing or not everything uploaded:
 * run it again), 2 usage.
 */
const usage = 'usage: npm run publish-update -- <build folder> --channel <stable|beta>';
let parsed: ReturnType<typeof parseArgs<{ options: { channel: { type: 'string' } }; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options: { channel: { type: 'string' } }, allowPositionals: true });
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}\n`);
  process.exit(2);
}
const [dir, ...extra] = parsed.positionals;
if (!dir || extra.length > 0 || !parsed.values.channel) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
try {
  const env = loadEnv();
  const dataDir = dataDirOf(env);
  if (env.BLOB_DRIVER === 'fs') mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const blobs = openBlobStore(env, dataDir, serverSecret(env, dataDir), () => '');
  const report = await publishUpdate(blobs, dir, parsed.values.channel);
  for (const [file, version] of Object.entries(report.versions)) process.stdout.write(`${file}: version ${version}\n`);
  for (const name of report.unchanged) process.stdout.write(`unchanged (already published): ${name}\n`);
  for (const name of report.uploaded) process.stdout.write(`uploaded: ${name}\n`);
  process.stdout.write(`published on ${report.channel} (${env.BLOB_DRIVER === 's3' ? `s3://${env.S3_BUCKET}/updates/${report.channel}/` : `${dataDir}/blobs/updates/${report.channel}/`})\n`);
} catch (err) {
  process.stderr.write(`publish-update: ${err instanceof PublishRefused ? err.message : `failed: ${(err as Error).message}`}\n`);
  process.exit(1);
}
