import { startRgwCluster, stopRgwCluster } from './rgw/rgw-cluster';

export interface TestS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/**
 * An S3 server that checks SigV4 signatures for the test run. S3_TEST_ENDPOINT (with
 * S3_TEST_REGION, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY) points the suite at an
 * existing one (MinIO, AWS, an RGW from `test/infra/rgw/rgw.ts start`), which is left running;
 * otherwise a throw-away Ceph RADOS Gateway starts on 127.0.0.1 and `stop()` ends it by PID.
 */
export async function startTestS3(): Promise<TestS3> {
  const endpoint = process.env.S3_TEST_ENDPOINT;
  if (endpoint) {
    const missing = ['S3_TEST_REGION', 'S3_TEST_ACCESS_KEY_ID', 'S3_TEST_SECRET_ACCESS_KEY'].filter((k) => !process.env[k]);
    if (missing.length > 0) throw new Error(`S3_TEST_ENDPOINT is set but not ${missing.join(', ')}`);
    return {
      endpoint,
      region: process.env.S3_TEST_REGION!,
      accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID!,
      secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY!,
      stop: async () => undefined,
    };
  }
  const state = await startRgwCluster({ watchdog: true });
  return {
    endpoint: state.endpoint,
    region: state.region,
    accessKeyId: state.accessKeyId,
    secretAccessKey: state.secretAccessKey,
    stop: () => stopRgwCluster(state),
  };
}
