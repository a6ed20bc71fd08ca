import { describe, expect, it } from 'vitest';
import { loadEnv } from './config';

describe('configuration is validated at boot', () => {
  it('embedded defaults need no variables at all', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 8787, HOST: '127.0.0.1', BLOB_DRIVER: 'fs', JOBS_IN_PROCESS: true, PRESIGN_MINUTES: 10 });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('bad values are refused with the name of the setting', () => {
    expect(() => loadEnv({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadEnv({ DATABASE_READ_URL: 'mysql://x' })).toThrow(/DATABASE_READ_URL: must be a postgres:\/\/ URL/);
    expect(() => loadEnv({ PRESIGN_MINUTES: '1440' })).toThrow(/PRESIGN_MINUTES/);
    expect(() => loadEnv({ STINT_SECRET: 'short' })).toThrow(/STINT_SECRET/);
    expect(() => loadEnv({ BLOB_DRIVER: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => loadEnv({ JOBS_IN_PROCESS: 'maybe' })).toThrow(/JOBS_IN_PROCESS/);
  });

  it('empty variables count as unset', () => {
    expect(loadEnv({ DATABASE_URL: '', PORT: '' }).PORT).toBe(8787);
  });
});
