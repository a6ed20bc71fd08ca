import type { Logger } from 'pino';
import type { AppSettings } from '../config';
import type { BlobStore } from '../store/blob/blob-store';
import type { Db } from '../store/db';
import type { JobQueue } from '../store/job-queue';
import type { RevocationCheck } from '../auth/revocation-check';
import type { AccessTokens } from '../auth/tokens';

/** What every service gets: the ports, the clock and the settings, wired once in createApp. */
export interface ServiceContext {
  db: Db;
  /** The reader pool (DATABASE_READ_URL, a replica) timeline reads use; unset: they use `db`. Never written to. */
  reads?: Db;
  blobs: BlobStore;
  jobs: JobQueue;
  tokens: AccessTokens;
  /** Whether a token's device or session was revoked since it was issued. */
  revocations: RevocationCheck;
  settings: AppSettings;
  now: () => Date;
  log: Logger;
  /** Base URL of this server as clients reach it. */
  publicUrl: () => string;
}
